// What every console page shares: calling the admin API, building DOM (customer text only ever as
// textContent, never as HTML), Spanish formats, drawing a WhatsApp message, polling while the tab is seen.

/** fetch JSON from the admin API; a non-2xx throws an Error with the server's reason and `.status`/`.body`. */
export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, cache: 'no-store', headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = new Error(data.error ?? `${res.status} ${res.statusText}`);
    error.status = res.status;
    error.body = data;
    throw error;
  }
  return data;
}

/** el('div', { className: 'x', onclick }, 'text', child…): strings become text nodes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node && key !== 'list') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

export const $ = (id) => document.getElementById(id);

export function showError(target, text) {
  target.textContent = text ?? '';
  target.hidden = !text;
}

const pad = (n) => String(n).padStart(2, '0');
export const clock = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const sameDay = (a, b) => a.toDateString() === b.toDateString();

/** "14:05" today, "ayer 14:05", "12/3 14:05" this year, "12/3/2025" before. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const now = new Date();
  if (sameDay(d, now)) return clock(d);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return `ayer ${clock(d)}`;
  if (d.getFullYear() === now.getFullYear()) return `${d.getDate()}/${d.getMonth() + 1} ${clock(d)}`;
  return `${d.getDate()}/${d.getMonth() + 1}/${d.getFullYear()}`;
}

export const fullDate = (iso) => (iso ? new Date(iso).toLocaleString('es-CO', { dateStyle: 'short', timeStyle: 'short' }) : '');
export const money = (n) => `$${Math.round(n).toLocaleString('es-CO')}`;

/** The number in full (operators call customers), with its +; ids that are not numbers as they are. */
export const phone = (chatId) => (/^\d{6,15}$/.test(chatId) ? `+${chatId}` : chatId);

export const REASONS = {
  requested: 'pidió una persona', complaint: 'queja o reclamo', not_understood: 'el bot no le entendió',
  payment_receipt: 'comprobante de pago por revisar', question: 'pregunta sin respuesta', taken: 'una persona la tomó',
};

export const ORDER_STATUS = { confirmed: 'confirmado', paid: 'pagado', shipped: 'enviado', delivered: 'entregado', cancelled: 'cancelado' };

/** Who has the chat, as a badge. */
export function holderBadge(holder) {
  if (holder.by === 'bot') return el('span', { className: 'badge bot' }, 'Bot');
  if (holder.name) return el('span', { className: 'badge person' }, `Persona: ${holder.name}`);
  return el('span', { className: 'badge waiting' }, 'Espera una persona');
}

/** ✓ sent, ✓✓ delivered, blue ✓✓ read, a clock while pending, ⚠ when it did not arrive. */
export function ticks(status) {
  const [mark, cls, title] = {
    pending: ['🕓', 'pending', 'en cola'],
    sent: ['✓', 'sent', 'enviado'],
    delivered: ['✓✓', 'delivered', 'entregado'],
    read: ['✓✓', 'read', 'leído'],
    failed: ['⚠', 'failed', 'no llegó'],
    expired: ['⚠', 'failed', 'caducó sin enviarse'],
  }[status] ?? ['', '', status];
  return el('span', { className: `ticks ${cls}`, title, dataset: { status } }, mark);
}

/**
 * A message as WhatsApp draws it: header, body, footer; reply buttons under the bubble; a list as a
 * button that opens its rows. `onChoose(choice)` makes buttons and rows tappable (the simulator); without
 * it they are shown, not pressed (a conversation's history).
 */
export function drawContent(content, { onChoose, onOpenList } = {}) {
  if (content.type === 'text') return [el('div', { className: 'body' }, ...formatted(content.text))];
  if (content.type === 'template') return [el('div', { className: 'body placeholder' }, `Plantilla ${content.name} (${content.language})`)];
  const parts = [];
  if (content.header) parts.push(el('div', { className: 'header' }, content.header));
  parts.push(el('div', { className: 'body' }, ...formatted(content.body)));
  if (content.footer) parts.push(el('div', { className: 'footer' }, content.footer));
  const choices = el('div', { className: 'choices' });
  if (content.type === 'buttons') {
    for (const b of content.buttons) {
      choices.append(el('button', { type: 'button', className: 'choice', disabled: !onChoose, dataset: { choiceId: b.id }, onclick: onChoose && (() => onChoose({ type: 'button', id: b.id, title: b.title })) }, b.title));
    }
  } else {
    choices.append(el('button', { type: 'button', className: 'choice list-open', disabled: !onOpenList, onclick: onOpenList && (() => onOpenList(content)) }, `☰ ${content.button}`));
    if (!onOpenList) {
      // in the history, show what the list offered
      const rows = content.sections.flatMap((s) => s.rows).map((r) => r.title).join(' · ');
      choices.append(el('div', { className: 'hint' }, rows));
    }
  }
  parts.push(choices);
  return parts;
}

// WhatsApp's own marks: *bold*, _italic_, ~strike~, each within one line and hugging its words
const MARKS = /([*_~])(?=\S)([^\n]*?\S)\1/g;
const MARK_TAGS = { '*': 'strong', _: 'em', '~': 's' };

/** Text with WhatsApp's marks drawn as WhatsApp draws them, as DOM nodes (never parsed as HTML). */
export function formatted(text) {
  const nodes = [];
  let at = 0;
  for (const m of text.matchAll(MARKS)) {
    if (m.index > at) nodes.push(text.slice(at, m.index));
    nodes.push(el(MARK_TAGS[m[1]], {}, m[2]));
    at = m.index + m[0].length;
  }
  if (at < text.length) nodes.push(text.slice(at));
  return nodes;
}

/** Run `task` now and every `ms` while the tab is visible; one run at a time. */
export function poll(task, ms) {
  let timer;
  const run = async () => {
    clearTimeout(timer);
    if (!document.hidden) await task().catch(() => {});
    timer = setTimeout(run, ms);
  };
  document.addEventListener('visibilitychange', () => { if (!document.hidden) run(); });
  run();
  return run;
}
