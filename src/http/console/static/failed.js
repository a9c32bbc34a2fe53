// Envíos fallidos: replies that never reached the customer, with the provider's reason, and the two ways to
// act on one: send it again (only inside the 24 h window, where WhatsApp takes it) or mark it handled.
import { $, api, el, fullDate, phone, poll, showError } from './console.js';

const REFRESH_MS = 10_000;
const OUTCOMES = { refused: 'Rechazada al enviar', failed: 'Falló después de enviarse', expired: 'Caducó sin enviarse' };
let state = 'open';
let updates = 0;

for (const button of document.querySelectorAll('[data-state]')) {
  button.addEventListener('click', () => { state = button.dataset.state; refresh(); });
}

async function refresh() {
  try {
    const [list, open] = await Promise.all([
      api(`/admin/api/failed-sends?state=${state}`),
      state === 'open' ? null : api('/admin/api/failed-sends?state=open&limit=1'),
    ]);
    $('open-count').textContent = String((open ?? list).count);
    for (const b of document.querySelectorAll('[data-state]')) b.setAttribute('aria-pressed', String(b.dataset.state === state));
    $('failed').replaceChildren(...(list.items.length ? list.items.map(card) : [el('p', { className: 'empty' }, state === 'open' ? 'Todas las respuestas llegaron: nada por atender.' : 'Nada atendido todavía.')]));
    showError($('error'), '');
    document.body.dataset.updates = String(++updates);
  } catch (error) {
    showError($('error'), `No se pudo cargar: ${error.message}`);
  }
}

function card(f) {
  const why = f.meaning?.es ?? f.title ?? 'El proveedor no dio motivo.';
  const code = f.code !== null ? `${f.provider ?? ''} ${f.code}`.trim() : null;
  const actions = el('div', { className: 'actions' });
  if (!f.resolution) {
    const retry = el('button', { type: 'button', className: 'primary', disabled: !f.windowOpen, onclick: () => act(retry, `/admin/api/failed-sends/${f.id}/retry`) }, 'Reenviar');
    if (!f.windowOpen) retry.title = 'Fuera de la ventana de 24 horas: WhatsApp lo rechazaría otra vez (solo acepta plantillas, que aún no están disponibles)';
    actions.append(retry, el('button', { type: 'button', onclick: (e) => act(e.currentTarget, `/admin/api/failed-sends/${f.id}/dismiss`) }, 'Marcar como atendido'));
  }
  const resolution = f.resolution
    ? el('p', { className: 'hint' }, f.resolution.how === 'retried'
        ? `Reenviado por ${f.resolution.by} el ${fullDate(f.resolution.at)}${f.resolution.retryStatus ? ` (${RETRY_STATUS[f.resolution.retryStatus] ?? f.resolution.retryStatus})` : ''}`
        : `Marcado como atendido por ${f.resolution.by} el ${fullDate(f.resolution.at)}`)
    : null;
  return el('article', { className: `failed-item${f.resolution ? ' handled' : ''}`, dataset: { outboxId: f.id, chatId: f.chatId } },
    el('div', {}, el('strong', {}, f.customerName ?? 'Sin nombre'), ' · ', el('a', { href: `/admin/chats/${encodeURIComponent(f.chatId)}` }, phone(f.chatId)),
      el('span', { className: 'hint' }, ` · ${fullDate(f.at)} · escrita por ${f.operator ?? 'el bot'}`)),
    el('div', { className: 'text' }, f.text),
    el('p', { className: 'why' }, el('strong', {}, `${OUTCOMES[f.outcome] ?? f.outcome}: `), why, code ? el('span', { className: 'hint', title: f.title ?? '' }, ` (${code})`) : null),
    f.resolution || f.windowOpen ? null : el('p', { className: 'notice' }, 'El cliente no escribe hace más de 24 horas: WhatsApp solo acepta una plantilla, y las plantillas todavía no están disponibles en esta consola.'),
    resolution, actions);
}

const RETRY_STATUS = { pending: 'en cola', sent: 'enviado', delivered: 'entregado', read: 'leído', failed: 'falló otra vez', expired: 'caducó' };

async function act(button, path) {
  button.disabled = true;
  try {
    await api(path, { method: 'POST' });
    await refresh();
  } catch (error) {
    showError($('error'), `No se pudo: ${error.message}`);
    button.disabled = false;
  }
}

poll(refresh, REFRESH_MS);
