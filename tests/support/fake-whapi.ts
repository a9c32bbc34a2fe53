import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.ts';
import { serveFile, type ServedFile } from './media-files.ts';

// A fake Whapi.cloud gate on loopback: POST /messages/text, POST /messages/interactive,
// PUT /messages/{id} (mark read) and GET /media/{id} (a received file, to the bearer), checked against
// the request schemas of Whapi's OpenAPI description (required fields, the `to` and `quoted` patterns),
// answering `{sent:true, message:{…}}`.

export interface WhapiCall {
  /** performance.now() when the request arrived (before any delay). */
  at: number;
  method: string;
  path: string;
  auth: string | undefined;
  /** The JSON received, parsed (null when there was none); `raw` is the bytes as text. */
  body: unknown;
  raw: string;
  /** HTTP status the fake answered; undefined while held, or when the client hung up first. */
  status?: number;
  /** The message id the fake answered with (accepted sends only). */
  responseId?: string;
  /** The id in `PUT /messages/{id}` (read receipts only). */
  messageId?: string;
}

export interface WhapiFailure {
  status: number;
  /** Defaults to `{error:{code:status, message}}`. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeWhapi {
  /** Gate base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Sends Whapi accepted (text and interactive; `path` tells which), in the order they were answered. */
  sent: WhapiCall[];
  /** Every send request, refused and failed ones included, in the order they arrived. */
  attempts: WhapiCall[];
  /** `PUT /messages/{id}` read receipts, in the order they were answered. */
  receipts: WhapiCall[];
  /** `PUT /presences/{chat}` ("typing…"); `messageId` holds the chat id. */
  presences: WhapiCall[];
  /** `GET /media/{id}` downloads, refused ones included. */
  media: WhapiCall[];
  /** Serve bytes at the gate's `GET /media/{id}` (bearer required, like Whapi's); returns that link. */
  addMedia: (id: string, bytes: Buffer, mimeType: string, opts?: { chunked?: boolean }) => string;
  /** The next n sends answer with this failure instead of success (receipts are not affected). */
  failNext: (n: number, failure: WhapiFailure) => void;
  /** Hold every answer this long from now on; 0 to stop. */
  delay: (ms: number) => void;
  /** Requests whose client closed the connection before the answer. */
  aborted: () => number;
  close: () => Promise<void>;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

// Patterns from Whapi's OpenAPI description of the send endpoints.
const TO = /^[\d-]{9,31}(@[\w.]{1,})?$/;
const MESSAGE_ID = /^[A-Za-z0-9._]{4,30}-[A-Za-z0-9._]{4,14}(-[A-Za-z0-9._]{4,10})?(-[A-Za-z0-9._]{2,10})?$/;

export const whapiErrorBody = (code: number, message: string): Json => ({ error: { code, message } });

/** `token` is the bearer token the fake accepts (any token when omitted). */
export async function startFakeWhapi(opts: { token?: string } = {}): Promise<FakeWhapi> {
  const sent: WhapiCall[] = [];
  const attempts: WhapiCall[] = [];
  const receipts: WhapiCall[] = [];
  const presences: WhapiCall[] = [];
  const media: WhapiCall[] = [];
  const files = new Map<string, ServedFile>();
  const failures: WhapiFailure[] = [];
  let holdMs = 0;
  let n = 0;


  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const path = (req.url ?? '').split('?')[0];
    const call: WhapiCall = { at: performance.now(), method: req.method ?? '', path, auth: req.headers.authorization, body: null, raw };
    try {
      call.body = raw ? JSON.parse(raw) : null;
    } catch {}
    const isSend = req.method === 'POST' && (path === '/messages/text' || path === '/messages/interactive');
    const readId = req.method === 'PUT' ? /^\/messages\/([^/]+)$/.exec(path)?.[1] : undefined;
    const presenceOf = req.method === 'PUT' ? /^\/presences\/([^/]+)$/.exec(path)?.[1] : undefined;
    const mediaId = req.method === 'GET' ? /^\/media\/([^/]+)$/.exec(path)?.[1] : undefined;
    if (isSend) attempts.push(call);
    if (mediaId !== undefined) media.push(call);
    if (holdMs) await srv.hold(holdMs);
    if (res.destroyed) return;

    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    const token = /^Bearer (\S+)$/.exec(call.auth ?? '')?.[1];
    if (!token || (opts.token !== undefined && token !== opts.token)) return answer(401, whapiErrorBody(401, 'Unauthorized'));
    if (presenceOf !== undefined) {
      // Whapi's "send presence": {presence: typing | recording | online | offline | paused}
      const presence = rec(call.body)?.presence;
      if (!['typing', 'recording', 'online', 'offline', 'paused', 'pending'].includes(String(presence))) return answer(400, whapiErrorBody(400, 'presence is invalid'));
      call.messageId = decodeURIComponent(presenceOf);
      presences.push(call);
      return answer(200, { success: true });
    }
    if (mediaId !== undefined) {
      const file = files.get(decodeURIComponent(mediaId));
      if (!file) return answer(404, whapiErrorBody(404, 'Media not found'));
      call.status = 200;
      return serveFile(res, file);
    }
    if (readId !== undefined) {
      call.messageId = decodeURIComponent(readId);
      receipts.push(call);
      return answer(200, { success: true });
    }
    if (!isSend) return answer(404, whapiErrorBody(404, `Cannot ${req.method} ${path}`));

    const failure = failures.shift();
    if (failure) return answer(failure.status, failure.body ?? whapiErrorBody(failure.status, 'Injected failure'), failure.headers);
    const body = rec(call.body);
    const problem = !body ? 'body must be a JSON object' : path === '/messages/text' ? textProblem(body) : interactiveProblem(body);
    if (problem) return answer(400, whapiErrorBody(400, problem));

    call.responseId = `out${++n}.fake-whapi`;
    sent.push(call);
    const to = String(body!.to);
    const text = path === '/messages/text';
    answer(200, {
      sent: true,
      message: {
        id: call.responseId,
        from_me: true,
        type: text ? 'text' : 'interactive',
        chat_id: to.includes('@') ? to : `${to}@s.whatsapp.net`,
        timestamp: Math.floor(Date.now() / 1000),
        source: 'api',
        status: 'pending',
        ...(text ? { text: { body: body!.body } } : {}),
      },
    });
  }

  const srv = await startLoopbackServer(handle);
  const port = srv.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sent,
    attempts,
    receipts,
    presences,
    media,
    addMedia: (id, bytes, mimeType, o = {}) => {
      files.set(id, { bytes, mimeType, chunked: o.chunked });
      return `http://127.0.0.1:${port}/media/${encodeURIComponent(id)}`;
    },
    failNext: (count, failure) => {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    delay: (ms) => {
      holdMs = ms;
    },
    aborted: srv.aborted,
    close: srv.close,
  };
}

// ---- what Whapi's schemas refuse ----

const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';

function commonProblem(b: Json): string | undefined {
  if (typeof b.to !== 'string' || !TO.test(b.to)) return 'to must be a phone number or chat id';
  if (b.quoted !== undefined && (typeof b.quoted !== 'string' || !MESSAGE_ID.test(b.quoted))) return 'quoted must be a Whapi message id';
  return undefined;
}

function textProblem(b: Json): string | undefined {
  return commonProblem(b) ?? (nonEmpty(b.body) ? undefined : 'body is required');
}

function interactiveProblem(b: Json): string | undefined {
  const common = commonProblem(b);
  if (common) return common;
  const action = rec(b.action);
  if (!action) return 'action is required';
  for (const part of ['header', 'body', 'footer']) {
    if (b[part] !== undefined && typeof rec(b[part])?.text !== 'string') return `${part} must be {text}`;
  }
  const type = b.type ?? 'button';
  if (type === 'button') {
    const buttons = Array.isArray(action.buttons) ? action.buttons.map(rec) : [];
    if (buttons.length === 0) return 'action.buttons is required for type button';
    for (const x of buttons) {
      if (!['quick_reply', 'call', 'copy', 'url'].includes(String(x?.type)) || !nonEmpty(x?.title) || !nonEmpty(x?.id)) return 'each button needs type, title and id';
    }
    return undefined;
  }
  if (type === 'list') {
    const list = rec(action.list);
    if (!list || !nonEmpty(list.label) || !Array.isArray(list.sections) || list.sections.length === 0) return 'action.list needs label and sections';
    for (const s of list.sections.map(rec)) {
      if (!Array.isArray(s?.rows) || s.rows.length === 0) return 'each section needs rows';
      for (const r of s.rows.map(rec)) if (!nonEmpty(r?.id) || !nonEmpty(r?.title)) return 'each row needs id and title';
    }
    return undefined;
  }
  return `type ${String(type)} is not sent by this service`;
}
