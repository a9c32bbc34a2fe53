'use strict';
// The operations dashboard: polls /admin/api/dashboard and redraws the charts in place (chart.update), so a
// screen left open stays current without reloads. No build step: Chart.js is loaded before this file as the
// global `Chart`. Customer text (names, messages) is only ever set as textContent, never as HTML.

const params = new URLSearchParams(location.search);
// ?refresh=2000 (ms, at least 500) and ?minutes=180 (window, 1–1440) change the defaults
const REFRESH_MS = Math.max(500, Number(params.get('refresh')) || 5000);
const MINUTES = params.get('minutes') || '60';

// Fetches go to this origin and carry the credentials the browser used for the page itself.

const $ = (id) => document.getElementById(id);
const pad = (n) => String(n).padStart(2, '0');
const hhmm = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const clock = (d) => `${hhmm(d)}:${pad(d.getSeconds())}`;
const number = (n) => n.toLocaleString('es-CO');
// a duration reads right in Spanish: "430 ms" under a second, "2,1 s" above (never "2.106 ms", two milliseconds to a reader)
const duration = (ms) => (ms < 1000 ? `${number(Math.round(ms))} ms` : `${(ms / 1000).toLocaleString('es-CO', { maximumFractionDigits: 1 })} s`);
// full numbers for the team (they call customers); the logs keep masking them
const fullNumber = (chatId) => (/^\d{6,15}$/.test(chatId) ? `+${chatId}` : chatId);
/** A table cell holding text (as text, never HTML) or a node. */
const cell = (content) => {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  return td;
};
const chatLink = (chatId) => Object.assign(document.createElement('a'), { href: `/admin/chats/${encodeURIComponent(chatId)}`, textContent: fullNumber(chatId) });
const usd = (n) => `US$ ${n.toLocaleString('es-CO', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
const percent = (r) => `${(r * 100).toLocaleString('es-CO', { maximumFractionDigits: 2 })} %`;
const when = (iso) => new Date(iso).toLocaleString('es-CO', { dateStyle: 'short', timeStyle: 'short' });

const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];
const TARGET = { borderColor: '#dc2626', backgroundColor: 'transparent', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false };

Chart.defaults.animation = false; // redrawn every few seconds: animating each redraw is noise
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.locale = 'es-CO'; // axis and tooltip numbers with Spanish separators

const lineChart = (id, datasets, y = {}) => new Chart($(id), {
  type: 'line',
  data: { labels: [], datasets: datasets.map((d, i) => ({ borderColor: COLORS[i], backgroundColor: COLORS[i], pointRadius: 0, borderWidth: 2, data: [], ...d })) },
  options: { interaction: { mode: 'index', intersect: false }, scales: { y: { beginAtZero: true, ...y } } },
});
const barChart = (id, datasets, options = {}) => new Chart($(id), {
  type: 'bar',
  data: { labels: [], datasets: datasets.map((d, i) => ({ backgroundColor: COLORS[i], data: [], ...d })) },
  options: { scales: { y: { beginAtZero: true } }, ...options },
});

const charts = {
  messages: lineChart('chart-messages', [{ label: 'Entrantes' }, { label: 'Salientes' }]),
  // minutes without replies are gaps (null): the points keep a lone measured minute visible. Processing is
  // drawn against the target; end to end (the burst wait included) beside it, for what the customer waits
  latency: lineChart('chart-latency', [
    { label: 'Procesamiento p95', pointRadius: 2.5 }, { label: 'Objetivo', ...TARGET },
    { label: 'De punta a punta p95', pointRadius: 1.5, borderDash: [2, 3], borderColor: '#94a3b8', backgroundColor: '#94a3b8' },
  ], { ticks: { callback: (v) => duration(v) } }),
  errors: lineChart('chart-errors', [{ label: 'Errores / mensajes', borderColor: COLORS[3], backgroundColor: COLORS[3] }, { label: 'Objetivo', ...TARGET }]),
  intents: new Chart($('chart-intents'), {
    type: 'doughnut',
    data: { labels: [], datasets: [{ data: [], backgroundColor: COLORS }] },
    options: { plugins: { legend: { position: 'right' } } },
  }),
  cost: barChart('chart-cost', [{ label: 'USD' }], { plugins: { legend: { display: false } } }),
  // what Meta bills: messages by its category, billable ones apart (the free ones are the difference)
  billing: barChart('chart-billing', [{ label: 'Mensajes' }, { label: 'Cobrables', backgroundColor: COLORS[2] }]),
  queues: barChart('chart-queues', [{ label: 'En espera' }, { label: 'Activos' }, { label: 'Demorados' }, { label: 'Fallidos', backgroundColor: COLORS[3] }]),
};

function render(data) {
  const labels = data.series.map((p) => hhmm(new Date(p.minute)));
  const flat = (value) => data.series.map(() => value);
  setLine(charts.messages, labels, [data.series.map((p) => p.messagesIn), data.series.map((p) => p.messagesOut)]);
  setLine(charts.latency, labels, [data.series.map((p) => p.processingP95Ms), flat(data.targets.processingP95Ms), data.series.map((p) => p.e2eP95Ms)]);
  $('latency-hint').textContent = data.burstWindowMs > 0
    ? `Sin contar la espera de ráfaga de ${duration(data.burstWindowMs)} (MESSAGE_BUFFER_MS), que cada respuesta incluye a propósito.`
    : 'Sin espera de ráfaga configurada (MESSAGE_BUFFER_MS = 0): procesamiento y punta a punta coinciden.';
  setLine(charts.errors, labels, [data.series.map((p) => p.errorRate * 100), flat(data.targets.errorRate * 100)]);

  const intents = Object.entries(data.totals.intents).sort((a, b) => b[1] - a[1]);
  setBars(charts.intents, intents.map(([k]) => data.intentNames[k] ?? k), [intents.map(([, v]) => v)]);
  const cost = Object.entries(data.totals.aiCostByProvider).sort((a, b) => b[1] - a[1]);
  setBars(charts.cost, cost.map(([k]) => k), [cost.map(([, v]) => v)]);
  const billing = Object.entries(data.whatsapp.byCategory).sort((a, b) => b[1].messages - a[1].messages);
  setBars(charts.billing, billing.map(([k]) => k), [billing.map(([, v]) => v.messages), billing.map(([, v]) => v.billable)]);
  // an empty axis says nothing: without AI (or without calls) say why there is no cost
  const noCost = !cost.length && (!data.ai.enabled
    ? (data.ai.providers.length ? 'IA desactivada (use_ai_providers = false): el bot responde con su comprensión por palabras clave.' : 'Sin IA configurada: el bot responde con su comprensión por palabras clave, sin costo.')
    : 'Sin llamadas a la IA en esta ventana.');
  $('cost-plot').hidden = Boolean(noCost);
  $('cost-none').hidden = !noCost;
  $('cost-none').textContent = noCost || '';
  const queues = Object.entries(data.queues);
  setBars(charts.queues, queues.map(([name, d]) => (d ? name : `${name} (sin respuesta)`)),
    ['wait', 'active', 'delayed', 'failed'].map((state) => queues.map(([, d]) => (d ? d[state] : null))));

  const c = data.current;
  $('fig-minute').textContent = `${number(c.messagesInLastMinute)} / ${number(c.messagesOutLastMinute)}`;
  $('fig-hour').textContent = `${number(c.messagesInLastHour)} / ${number(c.messagesOutLastHour)}`;
  $('fig-p95').textContent = c.processingP95Ms === null ? 'sin datos' : duration(c.processingP95Ms);
  $('fig-p95').classList.toggle('bad', c.processingP95Ms !== null && c.processingP95Ms > data.targets.processingP95Ms);
  $('fig-e2e').textContent = c.e2eP95Ms === null ? 'sin datos' : duration(c.e2eP95Ms);
  $('fig-burst').textContent = data.burstWindowMs > 0 ? duration(data.burstWindowMs) : 'ninguna';
  $('fig-errors').textContent = percent(c.errorRate);
  $('fig-errors').classList.toggle('bad', c.errorRate > data.targets.errorRate);
  $('fig-cache').textContent = c.cacheHitRate === null ? 'sin datos' : percent(c.cacheHitRate);
  $('fig-cost').textContent = data.ai.enabled || data.totals.aiCostUsd > 0 ? usd(data.totals.aiCostUsd) : 'sin IA';
  $('fig-cost-hint').textContent = data.ai.enabled ? `últimos ${data.minutes} min` : 'ninguna configurada';
  $('fig-wa-cost').textContent = usd(data.whatsapp.costUsd);
  $('fig-wa-cost-hint').textContent = data.whatsapp.unpriced
    ? `${number(data.whatsapp.unpriced)} cobrables sin tarifa (npm run prices)`
    : `estimado, últimos ${data.minutes} min`;
  $('fig-handoffs').textContent = number(data.handoffs.count);
  renderHandoffs(data.handoffs);
  $('fig-undelivered').textContent = number(data.undelivered.count);
  $('fig-undelivered').classList.toggle('bad', data.undelivered.count > 0);
  renderUndelivered(data.undelivered);
}

function setLine(chart, labels, series) {
  chart.data.labels = labels;
  series.forEach((values, i) => { chart.data.datasets[i].data = values; });
  chart.update();
}
const setBars = setLine;

const REASONS = { requested: 'pidió una persona', complaint: 'queja o reclamo', not_understood: 'no entendido', payment_receipt: 'comprobante de pago', question: 'pregunta sin respuesta', taken: 'una persona la tomó' };

function renderHandoffs(handoffs) {
  $('handoff-count').textContent = String(handoffs.count);
  const rows = handoffs.items.map((h) => {
    const tr = document.createElement('tr');
    const cells = [chatLink(h.chatId), h.customerName ?? '–', REASONS[h.reason] ?? h.reason, h.lastMessage ?? '', when(h.startedAt), when(h.resumeAt)];
    for (const content of cells) tr.append(cell(content));
    tr.children[3].className = 'message';
    tr.children[3].title = h.lastMessage ?? '';
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Reanudar bot' });
    button.dataset.handoffId = String(h.id);
    button.dataset.chatId = h.chatId;
    button.addEventListener('click', () => resume(h.id, button));
    const action = document.createElement('td');
    action.append(button);
    tr.append(action);
    return tr;
  });
  if (!rows.length) {
    const empty = Object.assign(document.createElement('td'), { colSpan: 7, textContent: 'Ninguna conversación en espera.' });
    const tr = Object.assign(document.createElement('tr'), { className: 'empty' });
    tr.append(empty);
    rows.push(tr);
  }
  $('handoff-rows').replaceChildren(...rows);
}

const OUTCOMES = { refused: 'rechazada al enviar', failed: 'falló después de enviarse', expired: 'caducó sin enviarse' };

// replies that did not reach the customer: the text is the customer's conversation, so textContent only
function renderUndelivered(undelivered) {
  $('undelivered-count').textContent = String(undelivered.count);
  const rows = undelivered.items.map((u) => {
    const tr = document.createElement('tr');
    const code = u.code === null ? '–' : `${u.provider ?? ''} ${u.code}`.trim();
    const meaning = u.meaning ? u.meaning.es : (u.title ?? '');
    const cells = [when(u.at), chatLink(u.chatId), u.customerName ?? '–', u.text, OUTCOMES[u.outcome] ?? u.outcome, code, meaning];
    for (const content of cells) tr.append(cell(content));
    tr.children[3].className = 'message';
    tr.children[3].title = u.text;
    tr.children[6].title = [u.meaning?.en, u.title].filter(Boolean).join(' · ');
    tr.dataset.outboxId = String(u.id);
    return tr;
  });
  if (!rows.length) {
    const empty = Object.assign(document.createElement('td'), { colSpan: 7, textContent: 'Todas las respuestas llegaron.' });
    const tr = Object.assign(document.createElement('tr'), { className: 'empty' });
    tr.append(empty);
    rows.push(tr);
  }
  $('undelivered-rows').replaceChildren(...rows);
}

async function resume(handoffId, button) {
  button.disabled = true;
  try {
    const res = await fetch(`/admin/api/handoffs/${handoffId}/resume`, { method: 'POST' });
    if (!res.ok) throw new Error(await reason(res)); // 404: no such handoff (or no resume API); 409: already resumed
    showError('handoff-error', '');
    await refresh();
  } catch (error) {
    showError('handoff-error', `No se pudo reanudar el bot: ${error.message}`);
    button.disabled = false;
  }
}

async function reason(res) {
  const body = await res.json().catch(() => ({}));
  return `${res.status} ${body.error ?? res.statusText}`;
}

function showError(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

let updates = 0;
async function refresh() {
  try {
    const res = await fetch(`/admin/api/dashboard?minutes=${encodeURIComponent(MINUTES)}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(await reason(res));
    render(await res.json());
    showError('error', '');
    $('status').textContent = `actualizado ${clock(new Date())}`;
    document.body.dataset.updates = String(++updates); // lets a test wait for the next redraw
  } catch (error) {
    // keep the last charts on screen: stale numbers with a warning beat an empty page
    showError('error', `No se pudo actualizar: ${error.message}`);
  }
}

// one request at a time: the next poll is scheduled when the last one has finished
(async function poll() {
  await refresh();
  setTimeout(poll, REFRESH_MS);
})();
