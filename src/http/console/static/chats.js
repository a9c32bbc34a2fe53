// Conversaciones: every chat, newest customer activity first, refreshed every few seconds. The filters,
// the label and the search live in the address (?filter=person&label=vip&q=camisa), so a view can be shared.
import { $, api, el, holderBadge, phone, poll, showError, when } from './console.js';

const REFRESH_MS = 4000;
const params = new URLSearchParams(location.search);
const state = { filter: params.get('filter') || 'all', label: params.get('label') || '', q: params.get('q') || '', shown: 50, next: null };
let updates = 0;

$('search').value = state.q;
$('search').addEventListener('input', debounce(() => { state.q = $('search').value.trim(); state.shown = 50; changed(); }, 300));
for (const button of document.querySelectorAll('[data-filter]')) {
  button.addEventListener('click', () => { state.filter = button.dataset.filter; state.shown = 50; changed(); });
}
$('more').addEventListener('click', async () => {
  // the next page is appended; the refresh then keeps that many rows in view
  const page = await load({ before: state.next });
  $('chats').append(...page.items.map(row));
  state.shown += page.items.length;
  state.next = page.next;
  $('more').hidden = !page.next;
});

function query(extra = {}) {
  const q = new URLSearchParams();
  if (state.filter !== 'all') q.set('filter', state.filter);
  if (state.label) q.set('label', state.label);
  if (state.q) q.set('q', state.q);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) q.set(k, String(v));
  return q;
}

const load = (extra) => api(`/admin/api/chats?${query({ limit: 50, ...extra })}`);

function changed() {
  history.replaceState(null, '', `${location.pathname}${query().size ? `?${query()}` : ''}`);
  refresh();
}

async function refresh() {
  try {
    const page = await load({ limit: Math.min(state.shown, 100) });
    for (const b of document.querySelectorAll('[data-filter]')) b.setAttribute('aria-pressed', String(b.dataset.filter === state.filter));
    $('person-count').textContent = String(page.needingPerson);
    showError($('label-filter'), state.label ? `Etiqueta: ${state.label}` : '');
    if (state.label) $('label-filter').append(' ', el('button', { type: 'button', onclick: () => { state.label = ''; changed(); } }, 'quitar'));
    const rows = page.items.map(row);
    $('chats').replaceChildren(...(rows.length ? rows : [el('li', { className: 'empty' }, state.q || state.filter !== 'all' || state.label ? 'Ninguna conversación coincide.' : 'Todavía no hay conversaciones. Prueba el bot en «Probar el bot».')]));
    state.next = page.next;
    $('more').hidden = !page.next;
    showError($('error'), '');
    $('status').textContent = `Actualizado ${when(new Date().toISOString())}`;
    document.body.dataset.updates = String(++updates); // lets a test wait for the next refresh
  } catch (error) {
    showError($('error'), `No se pudo cargar: ${error.message}`);
  }
}

function row(c) {
  const who = c.name || (c.username ? `@${c.username}` : phone(c.chatId));
  const last = c.last ? `${c.last.direction === 'out' ? `${c.last.operator ?? 'Bot'}: ` : ''}${c.last.text}` : '';
  // a label filters the list by itself (a span: nothing interactive may sit inside the row's link)
  const labels = c.labels.map((l) => el('span', {
    className: 'label', title: `Ver las conversaciones con la etiqueta ${l}`,
    onclick: (event) => { event.preventDefault(); state.label = l; changed(); },
  }, l));
  return el('li', { dataset: { chatId: c.chatId } },
    el('a', { className: 'row', href: `/admin/chats/${encodeURIComponent(c.chatId)}` },
      el('span', { className: 'avatar', 'aria-hidden': 'true' }, (who.replace(/^[+@]/, '')[0] || '?').toUpperCase()),
      el('span', { className: 'who' }, who),
      el('span', { className: 'when' }, when(c.last?.at ?? c.lastActivityAt)),
      el('span', { className: 'preview' }, last),
      c.unread ? el('span', { className: 'badge unread', title: 'sin leer' }, c.unread >= 100 ? '99+' : String(c.unread)) : el('span'),
      el('span', { className: 'meta' },
        el('span', { className: 'number' }, [phone(c.chatId), c.username ? ` · @${c.username}` : ''].join('')),
        holderBadge(c.holder),
        c.needsAttention ? el('span', { className: 'badge waiting' }, 'Revisar') : null,
        c.hasCart ? el('span', { className: 'badge' }, 'Carrito') : null,
        c.hasOpenOrder ? el('span', { className: 'badge' }, 'Pedido') : null,
        c.simulator ? el('span', { className: 'badge sim' }, 'Simulador') : null,
        ...labels)));
}

function debounce(f, ms) {
  let t;
  return () => { clearTimeout(t); t = setTimeout(f, ms); };
}

poll(refresh, REFRESH_MS);
