import { createSandboxSender } from '../whatsapp/sandbox-sender.ts';
import type { WhatsAppSender } from '../whatsapp/sender.ts';
import { isSimulatorChat, SIMULATOR_MESSAGE_PREFIX } from './simulator-chat.ts';

/**
 * The outbound stage's sender with the simulator's chats taken out: their replies are recorded by the
 * sandbox (sent, as the page shows them) and never reach Meta or Whapi, whatever WHATSAPP_PROVIDER is, so
 * trying the bot on a live deployment sends nothing to a made-up number.
 */
export function routeSimulatorChats(sender: WhatsAppSender, sandbox: WhatsAppSender = createSandboxSender()): WhatsAppSender {
  if (sender.provider === 'sandbox') return sender;
  return {
    provider: sender.provider,
    send: (message) => (message.to !== undefined && isSimulatorChat(message.to) ? sandbox.send(message) : sender.send(message)),
    markRead: (id, opts) => (id.startsWith(SIMULATOR_MESSAGE_PREFIX) ? sandbox.markRead(id, opts) : sender.markRead(id, opts)),
    showTyping: (target) => (target.providerMessageId.startsWith(SIMULATOR_MESSAGE_PREFIX) ? sandbox.showTyping(target) : sender.showTyping(target)),
  };
}
