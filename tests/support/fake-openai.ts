import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { imagePartProblem, readTranscriptionForm, transcriptionAnswer, type UploadedFile } from './fake-openai-media.ts';
import { startLoopbackServer } from './loopback-server.ts';

// A fake OpenAI-compatible Chat Completions API on loopback (OpenAI itself, and DeepSeek, which speaks
// the same protocol under its own base URL). It answers with real `chat.completion` bodies and real
// error bodies, so the real `openai` client parses them as it would in production. It also transcribes
// (POST /v1/audio/transcriptions, multipart) and checks image parts in chat requests (fake-openai-media.ts).

export interface ChatRequest {
  /** performance.now() when the request arrived. */
  at: number;
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
  /** HTTP status answered; undefined while held, or when the client hung up first. */
  status?: number;
}

export interface ChatFailure {
  status: number;
  /** Defaults to an OpenAI error body for the status; `raw` sends these bytes instead of JSON. */
  body?: unknown;
  raw?: string;
}

export interface FakeOpenAi {
  /** Base URL ending in /v1, as OpenAI's; DeepSeek-style (no /v1) works too: use `origin`. */
  url: string;
  origin: string;
  requests: ChatRequest[];
  /** Content of the assistant message from now on: a fixed string, or computed from the request. */
  reply: (content: string | ((body: Record<string, unknown>) => string)) => void;
  /** Text of POST /v1/audio/transcriptions answers from now on (the request's `body.file` is the upload). */
  transcript: (text: string | ((file: UploadedFile) => string)) => void;
  /** The next n requests fail with this (n = Infinity: until `recover()`). */
  failNext: (n: number, failure: ChatFailure) => void;
  /** Never answer (until the client gives up or `recover()`), like a provider that accepted the connection and stalled. */
  hang: () => void;
  /** Hold each answer this long. */
  delay: (ms: number) => void;
  /** Back to answering at once, with no failures queued. */
  recover: () => void;
  /** Requests whose client closed the connection before an answer was written (an abort, seen from here). */
  aborted: () => number;
  close: () => Promise<void>;
}

const errorBody = (status: number) => {
  const [type, code, message] =
    status === 401 ? ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.']
    : status === 429 ? ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests']
    : status >= 500 ? ['server_error', null, 'The server had an error while processing your request.']
    : ['invalid_request_error', null, 'Invalid request.'];
  return { error: { message, type, param: null, code } };
};

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: ChatRequest[] = [];
  let content: string | ((body: Record<string, unknown>) => string) = '{"intent":"greeting","entities":{},"confidence":0.9}';
  let transcript: string | ((file: UploadedFile) => string) = 'hola';
  let failure: ChatFailure | undefined;
  let failuresLeft = 0;
  let hanging = false;
  let delayMs = 0;


  async function handle(req: IncomingMessage, res: ServerResponse, raw: string, bytes: Buffer) {
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(raw);
    } catch {}
    const transcription = /^(\/v1)?\/audio\/transcriptions$/.test(req.url ?? '');
    if (transcription) body = await readTranscriptionForm(req.headers['content-type'], bytes);
    const call: ChatRequest = { at: performance.now(), method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body };
    requests.push(call);
    const send = (status: number, json: unknown, rawText?: string) => {
      if (res.destroyed) return;
      call.status = status;
      res.writeHead(status, { 'content-type': rawText === undefined ? 'application/json' : 'text/html', 'x-request-id': `req_${randomBytes(8).toString('hex')}` });
      res.end(rawText ?? JSON.stringify(json));
    };

    if (hanging) await srv.hold(Infinity);
    if (delayMs) await srv.hold(delayMs);
    if (res.destroyed) return;

    if (req.method !== 'POST' || !(transcription || /^(\/v1)?\/chat\/completions$/.test(call.path))) {
      return send(404, { error: { message: `Invalid URL (${req.method} ${call.path})`, type: 'invalid_request_error', param: null, code: null } });
    }
    if (!/^Bearer \S+$/.test(call.auth ?? '')) return send(401, errorBody(401));
    if (failuresLeft > 0 && failure) {
      failuresLeft--;
      return send(failure.status, failure.body ?? errorBody(failure.status), failure.raw);
    }
    if (transcription) return send(...transcriptionAnswer(body, (file) => (typeof transcript === 'function' ? transcript(file) : transcript)));
    if (!body || !Array.isArray(body.messages) || typeof body.model !== 'string') return send(400, errorBody(400));
    const imageProblem = imagePartProblem(body.messages);
    if (imageProblem) return send(400, imageProblem);

    const text = typeof content === 'function' ? content(body) : content;
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    const completionTokens = Math.ceil(text.length / 4);
    send(200, {
      id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    });
  }

  const srv = await startLoopbackServer(handle);
  const origin = `http://127.0.0.1:${srv.port}`;

  return {
    url: `${origin}/v1`,
    origin,
    requests,
    reply: (c) => void (content = c),
    transcript: (t) => void (transcript = t),
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
