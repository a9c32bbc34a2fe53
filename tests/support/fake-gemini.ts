import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.ts';

// A fake Gemini API (generativelanguage.googleapis.com) on loopback: POST /v1beta/models/{model}:generateContent
// answered with a real GenerateContentResponse (candidates, usageMetadata) or a real google.rpc error body,
// so the real `@google/genai` client, pointed here through httpOptions.baseUrl, parses it as in production.
// Inline media parts (pictures) are checked as the API checks them.

export interface GeminiRequest {
  at: number;
  method: string;
  path: string;
  /** The model named in the path. */
  model: string | undefined;
  apiKey: string | undefined;
  body: Record<string, unknown> | undefined;
  status?: number;
}

export interface GeminiFailure {
  status: number;
  body?: unknown;
  raw?: string;
}

export interface FakeGemini {
  /** What to give the client as httpOptions.baseUrl (it adds /v1beta/models/…). */
  url: string;
  requests: GeminiRequest[];
  reply: (text: string | ((body: Record<string, unknown>) => string)) => void;
  failNext: (n: number, failure: GeminiFailure) => void;
  hang: () => void;
  delay: (ms: number) => void;
  recover: () => void;
  aborted: () => number;
  close: () => Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};
export const geminiErrorBody = (status: number, message = 'The model is overloaded. Please try again later.') => ({
  error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' },
});

export async function startFakeGemini(): Promise<FakeGemini> {
  const requests: GeminiRequest[] = [];
  let content: string | ((body: Record<string, unknown>) => string) = '{"intent":"greeting","entities":{},"confidence":0.9}';
  let failure: GeminiFailure | undefined;
  let failuresLeft = 0;
  let hanging = false;
  let delayMs = 0;


  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(raw);
    } catch {}
    const path = req.url ?? '';
    const route = /^\/v1beta\/models\/([^/:?]+):generateContent(\?.*)?$/.exec(path);
    const key = req.headers['x-goog-api-key'];
    const call: GeminiRequest = { at: performance.now(), method: req.method ?? '', path, model: route?.[1], apiKey: typeof key === 'string' ? key : undefined, body };
    requests.push(call);
    const send = (status: number, json: unknown, rawText?: string) => {
      if (res.destroyed) return;
      call.status = status;
      res.writeHead(status, { 'content-type': rawText === undefined ? 'application/json; charset=UTF-8' : 'text/html' });
      res.end(rawText ?? JSON.stringify(json));
    };

    if (hanging) await srv.hold(Infinity);
    if (delayMs) await srv.hold(delayMs);
    if (res.destroyed) return;

    if (req.method !== 'POST' || !route) return send(404, geminiErrorBody(404, `Method not found: ${req.method} ${path}`));
    if (!call.apiKey) return send(403, geminiErrorBody(403, 'Method doesn\'t allow unregistered callers. Please use API Key.'));
    if (failuresLeft > 0 && failure) {
      failuresLeft--;
      return send(failure.status, failure.body ?? geminiErrorBody(failure.status), failure.raw);
    }
    if (!body || !Array.isArray(body.contents)) return send(400, geminiErrorBody(400, '* GenerateContentRequest.contents: contents is not specified'));
    const inlineProblem = inlineDataProblem(body.contents);
    if (inlineProblem) return send(400, geminiErrorBody(400, inlineProblem));

    const text = typeof content === 'function' ? content(body) : content;
    const promptTokenCount = Math.ceil(JSON.stringify(body.contents).length / 4);
    const candidatesTokenCount = Math.ceil(text.length / 4);
    send(200, {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', avgLogprobs: -0.05 }],
      usageMetadata: {
        promptTokenCount,
        candidatesTokenCount,
        totalTokenCount: promptTokenCount + candidatesTokenCount,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
        candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: candidatesTokenCount }],
      },
      modelVersion: route[1],
      responseId: randomBytes(12).toString('base64url'),
    });
  }

  const srv = await startLoopbackServer(handle);


  return {
    url: `http://127.0.0.1:${srv.port}`,
    requests,
    reply: (c) => void (content = c),
    failNext: (n, f) => void ((failuresLeft = n), (failure = f)),
    hang: () => void (hanging = true),
    delay: (ms) => void (delayMs = ms),
    recover: () => {
      hanging = false;
      delayMs = 0;
      failuresLeft = 0;
      srv.release();
    },
    aborted: srv.aborted,
    close: async () => {
      hanging = false;
      await srv.close();
    },
  };
}

// Inline media parts ({inlineData: {mimeType, data}}) as the API checks them: data must decode as
// base64, and an image must be of a type the models read.
const INLINE_TYPES = /^(image\/(png|jpeg|webp|heic|heif)|audio\/\w+|video\/\w+|application\/pdf|text\/plain)$/;

function inlineDataProblem(contents: unknown[]): string | undefined {
  for (const [c, content] of contents.entries()) {
    const parts = (content as { parts?: unknown })?.parts;
    if (!Array.isArray(parts)) continue;
    for (const [p, part] of parts.entries()) {
      const inline = (part as { inlineData?: { mimeType?: unknown; data?: unknown } })?.inlineData;
      if (inline === undefined) continue;
      const where = `contents[${c}].parts[${p}].inline_data`;
      if (typeof inline.data !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(inline.data)) return `Invalid value at '${where}.data' (TYPE_BYTES), Base64 decoding failed`;
      if (typeof inline.mimeType !== 'string' || !INLINE_TYPES.test(inline.mimeType)) return `Unsupported MIME type: ${String(inline.mimeType)}`;
      if (inline.mimeType.startsWith('image/') && Buffer.from(inline.data, 'base64').length === 0) return 'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
    }
  }
  return undefined;
}
