// One conversation: the whole history (customer, bot and people, ticks, refusals with the provider's
// reason), the customer beside it, and what a person does here: reply, take the chat, give it back, labels.
import { $, api, drawContent, el, fullDate, holderBadge, money, ORDER_STATUS, phone, poll, REASONS, showError, ticks, when } from './console.js';

const REFRESH_MS = 3000;
const chatId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop());
const base = `/admin/api/chats/${encodeURIComponent(chatId)}`;
let view = null;
let recent = [];
let earlier = [];
let more = false;
let updates = 0;

$('take').addEventListener('click', () => act($('take'), () => api(`${base}/take`, { method: 'POST' })));
$('resume').addEventListener('click', () => act($('resume'), () => api(`${base}/resume`, { method: 'POST' })));
$('older').addEventListener('click', async () => {
  const oldest = (earlier[0] ?? recent[0])?.mark;
  const page = await api(`${base}/history?limit=200&before=${encodeURIComponent(oldest)}`);
  earlier = [...page.items, ...earlier];
  more = page.more;
  drawThread(false);
});
$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('reply').value.trim();
  if (!text) return;
  $('send').disabled = true;
  try {
    await api(`${base}/reply`, { method: 'POST', body: { text } });
    $('reply').value = '';
    showError($('reply-error'), '');
    await refresh();
  } catch (error) {
    showError($('reply-error'), error.body?.code === 'outside_window' ? windowText(error.body.lastInboundAt) : `No se envió: ${error.message}`);
  } finally {
    $('send').disabled = false;
  }
});
$('label-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const label = $('new-label').value.trim();
  if (!label) return;
  await act(null, () => api(`${base}/labels`, { method: 'POST', body: { add: [label] } }));
  $('new-label').value = '';
});

async function act(button, call) {
  if (button) button.disabled = true;
  try {
    await call();
    showError($('error'), '');
    await refresh();
  } catch (error) {
    showError($('error'), `No se pudo: ${error.message}`);
  } finally {
    if (button) button.disabled = false;
  }
}

async function refresh() {
  try {
    const [v, history] = await Promise.all([api(base), api(`${base}/history?limit=200`)]);
    view = v;
    const grew = history.items.length !== recent.length || history.items.at(-1)?.mark !== recent.at(-1)?.mark;
    recent = history.items;
    if (!earlier.length) more = history.more;
    drawHeader();
    drawPanel();
    drawThread(grew);
    showError($('error'), '');
    // what is on screen has been read (by the team: one mark per chat)
    if (v.unread > 0 && !document.hidden) await api(`${base}/read`, { method: 'POST' }).catch(() => {});
    document.body.dataset.updates = String(++updates);
  } catch (error) {
    showError($('error'), error.status === 404 ? 'Esta conversación no existe.' : `No se pudo cargar: ${error.message}`);
  }
}

function drawHeader() {
  const p = view.profile;
  document.title = `${p.userName ?? phone(chatId)} · Consola`;
  $('name').textContent = p.userName ?? (p.profileData?.username ? `@${p.profileData.username}` : phone(chatId));
  $('number').replaceChildren(/^\d+$/.test(chatId) && !view.simulator ? el('a', { href: `tel:+${chatId}` }, phone(chatId)) : phone(chatId), view.simulator ? ' · simulador' : '');
  const h = view.handoff;
  const holder = h && h.pausesBot ? { by: 'person', name: h.takenBy } : { by: 'bot' };
  $('holder').replaceChildren(holderBadge(holder), h && !h.pausesBot ? el('span', { className: 'badge waiting', title: REASONS[h.reason] ?? h.reason }, ' Revisar') : '');
  $('take').hidden = Boolean(h && h.pausesBot && h.takenBy);
  $('take').textContent = h && h.pausesBot ? 'Atender' : 'Tomar conversación';
  $('resume').hidden = !h;
  const closed = !view.window.open;
  $('reply').disabled = closed;
  $('send').disabled = closed;
  showError($('window-closed'), closed ? windowText(view.window.lastInboundAt) : '');
  $('composer-hint').hidden = closed || Boolean(h && h.pausesBot);
}

function windowText(lastInboundAt) {
  const since = lastInboundAt ? `El cliente escribió por última vez el ${fullDate(lastInboundAt)}.` : 'El cliente nunca ha escrito.';
  return `Fuera de la ventana de 24 horas de WhatsApp: ${since} WhatsApp solo acepta una plantilla aprobada, y las plantillas todavía no están disponibles en esta consola.`;
}

function drawThread(scrollDown) {
  const thread = $('thread');
  const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
  const items = [...earlier, ...recent.filter((i) => !earlier.some((e) => e.type === i.type && e.id === i.id && e.mark === i.mark))];
  $('older').hidden = !more;
  thread.replaceChildren($('older'), ...items.map(item));
  if (scrollDown || atBottom) thread.scrollTop = thread.scrollHeight;
}

const IN_NOTES = {
  held: 'Retenido por el límite de mensajes: se responde cuando se libere.',
  rate_limited: 'Sobre el límite de mensajes: no se respondió.',
  stale: 'Demasiado antiguo para responder automáticamente.',
};

function item(i) {
  if (i.type === 'in') {
    const note = i.status === 'skipped'
      ? (/handed off|person/.test(i.note ?? '') ? 'El bot no respondió: la conversación la tenía una persona.' : 'El bot no respondió a esto.')
      : IN_NOTES[i.status];
    return el('div', { className: 'bubble in', dataset: { kind: i.kind, id: i.id } },
      i.placeholder ? el('div', { className: 'placeholder' }, `📎 ${i.placeholder}`) : null,
      i.text ? el('div', { className: 'body' }, i.text) : null,
      note ? el('div', { className: 'note', title: i.note ?? '' }, note) : null,
      el('div', { className: 'foot' }, when(i.at)));
  }
  if (i.type === 'out') {
    const by = i.operator ? `${i.operator}${i.retryOf ? ' · reenvío' : ''}` : 'Bot';
    const e = i.error;
    const refused = e && (i.status === 'failed' || i.status === 'expired')
      ? el('div', { className: 'refused' }, `No llegó al cliente: ${e.meaning?.es ?? e.title ?? 'sin motivo informado'}`,
          e.code !== null ? ` (${e.provider ?? ''} ${e.code}${e.title ? `: ${e.title}` : ''})` : '')
      : null;
    const resolution = i.resolution
      ? el('div', { className: 'note' }, i.resolution.how === 'retried' ? `Reenviado por ${i.resolution.by}` : `Marcado como atendido por ${i.resolution.by}`)
      : null;
    return el('div', { className: `bubble out${i.operator ? ' person' : ''}`, dataset: { id: i.id, status: i.status } },
      el('div', { className: 'by' }, by), ...drawContent(i.content), refused, resolution,
      el('div', { className: 'foot' }, when(i.sentAt ?? i.at), ticks(i.status)));
  }
  if (i.type === 'labels') {
    const parts = [];
    if (i.added.length) parts.push(`añadió ${i.added.length > 1 ? 'las etiquetas' : 'la etiqueta'} ${i.added.join(', ')}`);
    if (i.removed.length) parts.push(`quitó ${i.removed.length > 1 ? 'las etiquetas' : 'la etiqueta'} ${i.removed.join(', ')}`);
    return el('div', { className: 'event' }, `${i.operator} ${parts.join(' y ')} · ${when(i.at)}`);
  }
  let text;
  if (i.event === 'started') {
    text = i.reason === 'taken'
      ? `${i.operator ?? 'Una persona'} tomó la conversación: el bot deja de responder`
      : `Pasó a una persona (${REASONS[i.reason] ?? i.reason})${i.pausesBot ? ': el bot deja de responder' : ': el bot sigue respondiendo'}`;
  } else if (i.event === 'taken') {
    text = `${i.operator} atiende la conversación`;
  } else {
    text = i.endedBy === 'timeout' ? 'Volvió al bot automáticamente' : `${i.operator ?? 'Una persona'} devolvió la conversación al bot`;
  }
  return el('div', { className: 'event', dataset: { event: i.event } }, `${text} · ${when(i.at)}`);
}

const TIERS = { new: 'nuevo', regular: 'frecuente', vip: 'VIP' };

function drawPanel() {
  const p = view.profile;
  const c = view.customer;
  const rows = [
    ['Nombre', p.userName ?? '—'],
    ['Número', phone(chatId)],
    p.profileData?.username ? ['Usuario', `@${p.profileData.username}`] : null,
    ['Primer mensaje', fullDate(p.firstInteraction)],
    ['Último mensaje', fullDate(p.lastInteraction)],
    ['Mensajes', String(p.totalInteractions)],
    c ? ['Nivel', TIERS[c.tier] ?? c.tier] : null,
    c ? ['Pedidos', String(c.totalOrders)] : null,
    c?.optedOutAt ? ['Publicidad', `no quiere recibir (desde ${fullDate(c.optedOutAt)})`] : null,
    view.handoff ? ['Con una persona desde', fullDate(view.handoff.startedAt)] : null,
    view.handoff?.pausesBot ? ['El bot vuelve', fullDate(view.handoff.resumeAt)] : null,
  ].filter(Boolean);
  $('profile').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));

  $('labels').replaceChildren(...(p.labels.length ? p.labels.map((l) => el('span', { className: 'label', dataset: { label: l } }, l,
    el('button', { type: 'button', title: `Quitar ${l}`, 'aria-label': `Quitar la etiqueta ${l}`, onclick: () => act(null, () => api(`${base}/labels`, { method: 'POST', body: { remove: [l] } })) }, '×'))) : [el('span', { className: 'hint' }, 'Sin etiquetas')]));

  const cart = view.cart;
  $('cart').replaceChildren(cart.lines.length
    ? el('table', {}, el('tbody', {},
        ...cart.lines.map((l) => el('tr', {}, el('td', {}, `${l.quantity} × ${l.name}`), el('td', { className: 'n' }, money(l.unitPrice * l.quantity)))),
        el('tr', {}, el('td', {}, el('strong', {}, 'Total')), el('td', { className: 'n' }, el('strong', {}, money(cart.totals.total))))))
    : el('span', { className: 'hint' }, 'Vacío'));

  $('orders').replaceChildren(...(view.orders.length ? view.orders.map((o) => el('div', { className: 'order', dataset: { orderNumber: o.orderNumber } },
    el('div', {}, el('strong', {}, `#${o.orderNumber}`), ` · ${ORDER_STATUS[o.status] ?? o.status} · ${money(o.total)}`, o.paymentStatus === 'paid' ? ' · pagado' : ''),
    el('div', { className: 'hint' }, `${fullDate(o.createdAt)} · ${o.items.map((x) => `${x.quantity} × ${x.name}`).join(', ')}`))) : [el('span', { className: 'hint' }, 'Ninguno')]));
}

poll(refresh, REFRESH_MS);
