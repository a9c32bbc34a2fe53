// The console addresses a chat by its id as the pipeline keys it: today the customer's number (digits);
// a WhatsApp username or business-scoped id (issue 14) may take its place, so letters and a few marks pass.
export const CHAT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@+-]{2,99}$';

export const chatIdParam = {
  type: 'object',
  required: ['chatId'],
  properties: { chatId: { type: 'string', pattern: CHAT_ID_PATTERN, description: "the chat's id (the customer's number, digits)" } },
} as const;
