import { randomInt, randomUUID } from 'node:crypto';

// A simulator chat is a customer the console makes up to talk to the bot. Its id looks like a number to
// the pipeline (digits, as every stage expects) but is none a real customer can have: E.164 numbers never
// start with 0, these start with 000. Its messages carry 'sim.' ids and the sandbox as their provider.

export const SIMULATOR_CHAT_PATTERN = '^000\\d{9}$';
const SIMULATOR_CHAT = new RegExp(SIMULATOR_CHAT_PATTERN);
export const SIMULATOR_MESSAGE_PREFIX = 'sim.';

export const isSimulatorChat = (chatId: string): boolean => SIMULATOR_CHAT.test(chatId);

export const newSimulatorChatId = (): string => `000${String(randomInt(0, 1e9)).padStart(9, '0')}`;

export const newSimulatorMessageId = (): string => `${SIMULATOR_MESSAGE_PREFIX}${randomUUID()}`;
