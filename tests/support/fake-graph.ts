import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGraphMedia, type GraphMediaOptions } from './fake-graph-media.ts';
import { startLoopbackServer } from './loopback-server.ts';
import { GRAPH_API_VERSION } from '../../src/whatsapp/meta/graph-version.ts';

// A fake WhatsApp Cloud API on loopback. It answers like Meta (bodies, error shapes, status codes) and
// refuses what Meta refuses (bad token, unknown path, content past WhatsApp's limits), so a test that
// passes against it has sent something the real Graph API would take.

export interface RecordedCall {
  /** performance.now() when the request arrived (before any delay). */
  at: number;
  method: string;
  path: string;
  auth: string | undefined;
  /** The JSON received, parsed; `raw` is the bytes as text. */
  body: unknown;
  raw: string;
  /** HTTP status the fake answered; undefined while held, or when the client hung up first. */
  status?: number;
  /** The message id the fake answered with (accepted sends only). */
  responseId?: string;
}

export interface FakeFailure {
  status: number;
  /** Defaults to a Meta error body that goes with the status (429 → code 130429, 5xx → code 1, else code 100). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeGraphOptions {
  /** When set, any other bearer token is refused with 401 / code 190. */
  accessToken?: string;
  /** When set, any other phone-number id in the path is refused with 400 / code 100. */
  phoneNumberId?: string;
  /** Templates of the authentication category: Meta refuses them to a business-scoped id (131062). */
  authenticationTemplates?: string[];
}

export interface FakeGraph {
  /** Graph base URL with its version, e.g. http://127.0.0.1:PORT/v26.0 (GRAPH_API_VERSION) */
  url: string;
  port: number;
  /** Sends Meta accepted (bodies with a recipient), in the order they were answered. */
  sent: RecordedCall[];
  /**
   * Sends Meta answered 200 to and never delivered: a business-scoped id put in `to` (the bug other
   * integrations shipped). Not in `sent`: the customer never gets them.
   */
  dropped: RecordedCall[];
  /** Every send request, refused and failed ones included, in the order they arrived. */
  attempts: RecordedCall[];
  /** Read receipts and typing indicators (no recipient), in the order they were answered. */
  receipts: RecordedCall[];
  /** Media lookups and downloads (every GET), refused ones included, in the order they arrived. */
  media: RecordedCall[];
  /** Serve a media object under this id: the lookup gives a short-lived URL on this server, which gives the bytes to the bearer. */
  addMedia: (id: string, bytes: Buffer, mimeType: string, opts?: GraphMediaOptions) => void;
  /** The next n sends answer with this failure instead of success (receipts are not affected). */
  failNext: (n: number, failure: FakeFailure) => void;
  /** The next n accepted sends all answer with this message id (a provider that reuses ids). */
  reuseIdNext: (n: number, id: string) => void;
  /** Hold every answer this long from now on (a slow or hanging provider); 0 to stop. */
  delay: (ms: number) => void;
  /** Requests whose client closed the connection before the answer (what a timeout's abort looks like from here). */
  aborted: () => number;
  close: () => Promise<void>;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/** Meta's error body. */
export function graphErrorBody(code: number, message: string, details?: string): Json {
  return {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  };
}

const defaultFailureBody = (status: number) =>
  status === 429 ? graphErrorBody(130429, 'Rate limit hit') : status >= 500 ? graphErrorBody(1, 'An unknown error occurred') : graphErrorBody(100, 'Invalid parameter');

export async function startFakeGraph(opts: FakeGraphOptions = {}): Promise<FakeGraph> {
  const sent: RecordedCall[] = [];
  const dropped: RecordedCall[] = [];
  const attempts: RecordedCall[] = [];
  const receipts: RecordedCall[] = [];
  const media: RecordedCall[] = [];
  const mediaStore = createGraphMedia(() => `http://127.0.0.1:${srv.port}`, graphErrorBody);
  const failures: FakeFailure[] = [];
  const reusedIds: string[] = [];
  let holdMs = 0;
  let n = 0;


  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const call: RecordedCall = { at: performance.now(), method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body: null, raw };
    try {
      call.body = JSON.parse(raw);
    } catch {}
    const body = rec(call.body);
    const isSend = body !== undefined && ('to' in body || 'recipient' in body);
    if (isSend) attempts.push(call);
    if (req.method === 'GET') media.push(call);
    if (holdMs) await srv.hold(holdMs);
    if (res.destroyed) return;

    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    const token = /^Bearer (\S+)$/.exec(call.auth ?? '')?.[1];
    if (!token || (opts.accessToken !== undefined && token !== opts.accessToken)) {
      return answer(401, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
    }
    if (req.method === 'GET' && mediaStore.handle(call.path, res, (status, json) => answer(status, json))) {
      call.status ??= res.statusCode;
      return;
    }
    const route = /^\/v\d+\.\d+\/([^/?]+)\/messages$/.exec(call.path);
    if (req.method !== 'POST' || !route || (opts.phoneNumberId !== undefined && route[1] !== opts.phoneNumberId)) {
      return answer(400, graphErrorBody(100, `Unsupported ${req.method?.toLowerCase()} request. Object with ID '${route?.[1] ?? call.path}' does not exist`));
    }
    if (!body) return answer(400, graphErrorBody(100, 'The request body must be a JSON object'));

    if (!isSend) {
      const problem = receiptProblem(body);
      if (problem) return answer(400, graphErrorBody(100, `Invalid parameter: ${problem}`));
      receipts.push(call);
      return answer(200, { success: true });
    }
    const failure = failures.shift();
    if (failure) return answer(failure.status, failure.body ?? defaultFailureBody(failure.status), failure.headers);
    const problem = sendProblem(body);
    if (problem) return answer(400, graphErrorBody(131009, '(#131009) Parameter value is not valid', problem));
    // `to` wins over `recipient`; a BSUID in `to` is taken and silently dropped, as Meta does
    const to = typeof body.to === 'string' ? body.to : undefined;
    const recipient = to === undefined ? String(body.recipient) : undefined;
    const template = rec(body.template);
    if (recipient && body.type === 'template' && opts.authenticationTemplates?.includes(String(template?.name))) {
      return answer(400, graphErrorBody(BSUID_NOT_SUPPORTED, '(#131062) Business-scoped User ID recipients are not supported for this message.'));
    }
    call.responseId = reusedIds.shift() ?? `wamid.out${++n}`;
    if (to !== undefined && BUSINESS_SCOPED_ID.test(to)) dropped.push(call);
    else sent.push(call);
    const contact = to !== undefined ? { input: to, wa_id: to.replace(/\D/g, '') } : { input: recipient, user_id: recipient };
    answer(200, { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: call.responseId }] });
  }

  const srv = await startLoopbackServer(handle);
  const port = srv.port;
  return {
    url: `http://127.0.0.1:${port}/${GRAPH_API_VERSION}`,
    port,
    sent,
    dropped,
    attempts,
    receipts,
    media,
    addMedia: mediaStore.add,
    failNext: (count, failure) => {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    reuseIdNext: (count, id) => {
      for (let i = 0; i < count; i++) reusedIds.push(id);
    },
    delay: (ms) => {
      holdMs = ms;
    },
    aborted: srv.aborted,
    close: srv.close,
  };
}

// ---- what Meta refuses (lengths as JavaScript counts them: UTF-16 units) ----

const BUSINESS_SCOPED_ID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;
const BSUID_NOT_SUPPORTED = 131062;

const text = (v: unknown, max: number) => typeof v === 'string' && v.trim() !== '' && v.length <= max;
const unique = (ids: unknown[]) => new Set(ids).size === ids.length;

function receiptProblem(b: Json): string | undefined {
  if (b.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (b.status !== 'read') return 'status must be "read"';
  if (!text(b.message_id, 512)) return 'message_id is required';
  if (b.typing_indicator !== undefined && rec(b.typing_indicator)?.type !== 'text') return 'typing_indicator.type must be "text"';
  return undefined;
}

function sendProblem(b: Json): string | undefined {
  if (b.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (b.recipient_type !== undefined && b.recipient_type !== 'individual') return 'recipient_type must be "individual"';
  // a phone number in `to`, or a business-scoped id in `recipient` (Meta takes a BSUID in `to` too, and drops it)
  if (b.to !== undefined ? !text(b.to, 160) : !(typeof b.recipient === 'string' && BUSINESS_SCOPED_ID.test(b.recipient))) {
    return 'to (a phone number) or recipient (a business-scoped user id) is required';
  }
  if (b.context !== undefined && !text(rec(b.context)?.message_id, 512)) return 'context.message_id is required';
  switch (b.type ?? 'text') {
    case 'text':
      return text(rec(b.text)?.body, 4096) ? undefined : 'text.body must be 1 to 4096 characters';
    case 'template': {
      const t = rec(b.template);
      return text(t?.name, 512) && text(rec(t?.language)?.code, 16) ? undefined : 'template.name and template.language.code are required';
    }
    case 'interactive':
      return interactiveProblem(rec(b.interactive));
    default:
      return `type ${String(b.type)} is not sent by this service`;
  }
}

function interactiveProblem(i: Json | undefined): string | undefined {
  if (!i) return 'interactive is required';
  if (!text(rec(i.body)?.text, 1024)) return 'interactive.body.text must be 1 to 1024 characters';
  const header = rec(i.header);
  if (i.header !== undefined && (header?.type !== 'text' || !text(header.text, 60))) return 'interactive.header must be {type:"text", text} of 1 to 60 characters';
  if (i.footer !== undefined && !text(rec(i.footer)?.text, 60)) return 'interactive.footer.text must be 1 to 60 characters';
  const action = rec(i.action);
  if (i.type === 'button') {
    const buttons = Array.isArray(action?.buttons) ? action.buttons.map(rec) : [];
    if (buttons.length < 1 || buttons.length > 3) return 'action.buttons must hold 1 to 3 buttons';
    for (const b of buttons) {
      if (b?.type !== 'reply' || !text(rec(b.reply)?.id, 256) || !text(rec(b.reply)?.title, 20)) return 'each button must be {type:"reply", reply:{id ≤ 256, title ≤ 20}}';
    }
    return unique(buttons.map((b) => rec(b?.reply)?.id)) ? undefined : 'button ids must be unique';
  }
  if (i.type === 'list') {
    if (!text(action?.button, 20)) return 'action.button must be 1 to 20 characters';
    const sections = Array.isArray(action?.sections) ? action.sections.map(rec) : [];
    const rows = sections.flatMap((s) => (Array.isArray(s?.rows) ? s.rows.map(rec) : []));
    if (sections.length < 1 || rows.length < 1 || rows.length > 10) return 'a list needs 1 to 10 rows in all sections together';
    for (const s of sections) {
      if (s?.title !== undefined ? !text(s.title, 24) : sections.length > 1) return 'section titles must be 1 to 24 characters, and required with several sections';
    }
    for (const r of rows) {
      if (!text(r?.id, 200) || !text(r?.title, 24) || (r?.description !== undefined && !text(r.description, 72))) return 'each row must be {id ≤ 200, title ≤ 24, description? ≤ 72}';
    }
    return unique(rows.map((r) => r?.id)) ? undefined : 'row ids must be unique';
  }
  return `interactive.type ${String(i.type)} is not sent by this service`;
}
