// Probar el bot: the page plays a customer's phone. What is typed or tapped goes to the bot as a webhook
// delivery would; the bot's answers (recorded by the sandbox, sent nowhere) are drawn as WhatsApp draws
// them: reply buttons under the message, a list behind its button. The chat survives a reload (localStorage).
import { $, api, drawContent, el, poll, REASONS, showError, ticks, when } from './console.js';

const REFRESH_MS = 1000;
const KEY = 'simulatorChatId';
let chatId = localStorage.getItem(KEY);
let shown = '';
let waitingSince = 0;
let updates = 0;

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('message').value.trim();
  if (!text) return;
  $('message').value = '';
  send({ type: 'text', text });
});
$('restart').addEventListener('click', async () => {
  localStorage.removeItem(KEY);
  chatId = null;
  shown = '';
  await ensureChat();
  $('thread').replaceChildren();
  await refresh();
});

async function ensureChat() {
  if (!chatId) {
    chatId = (await api('/admin/api/simulator/chats', { method: 'POST' })).chatId;
    localStorage.setItem(KEY, chatId);
  }
  $('sim-status').textContent = `simulador · cliente ${chatId}`;
  $('open-chat').href = `/admin/chats/${chatId}`;
  document.body.dataset.chatId = chatId;
}

async function send(input) {
  closeSheet();
  try {
    await ensureChat();
    waitingSince = Date.now();
    await api(`/admin/api/simulator/chats/${chatId}/messages`, { method: 'POST', body: input });
    showError($('error'), '');
    await refresh();
  } catch (error) {
    showError($('error'), `No se envió: ${error.message}`);
  }
}

async function refresh() {
  if (!chatId) return;
  try {
    const data = await api(`/admin/api/simulator/chats/${chatId}/messages`);
    const key = JSON.stringify(data.items.map((i) => [i.type, i.id, i.status]));
    const lastIsAnswer = data.items.at(-1)?.type === 'out';
    if (lastIsAnswer) waitingSince = 0;
    $('open-chat').hidden = data.items.length === 0;
    if (key !== shown) {
      shown = key;
      $('thread').replaceChildren(...data.items.map(item).filter(Boolean));
    }
    drawTyping(data.handoff);
    $('thread').scrollTop = $('thread').scrollHeight;
    document.body.dataset.updates = String(++updates);
  } catch (error) {
    showError($('error'), `No se pudo leer la conversación: ${error.message}`);
  }
}

// "escribiendo…" while the bot has not answered the last message (a person has it: nobody is typing)
function drawTyping(handoff) {
  $('thread').querySelector('.typing')?.remove();
  const quiet = handoff && handoff.pausesBot;
  if (waitingSince && !quiet && Date.now() - waitingSince < 15_000) $('thread').append(el('div', { className: 'typing' }, 'escribiendo…'));
}

function item(i) {
  if (i.type === 'in') {
    return el('div', { className: 'bubble customer', dataset: { id: i.id } },
      i.placeholder ? el('div', { className: 'placeholder' }, i.placeholder) : null,
      i.text ? el('div', { className: 'body' }, i.text) : null,
      el('div', { className: 'foot' }, when(i.at), ticks('read')));
  }
  if (i.type === 'out') {
    return el('div', { className: 'bubble business', dataset: { id: i.id, kind: i.content.type } },
      i.operator ? el('div', { className: 'by' }, i.operator) : null,
      ...drawContent(i.content, { onChoose: send, onOpenList: openSheet }),
      el('div', { className: 'foot' }, when(i.sentAt ?? i.at)));
  }
  // the customer never sees labels; a person taking over is worth knowing while trying the flows
  if (i.type === 'handoff' && i.event !== 'taken') {
    const text = i.event === 'ended' ? 'El bot vuelve a responder' : i.reason === 'taken' ? `${i.operator ?? 'Una persona'} tomó la conversación` : `Pasó a una persona: ${REASONS[i.reason] ?? i.reason}`;
    return el('div', { className: 'event' }, text);
  }
  return null;
}

function openSheet(list) {
  const sheet = $('sheet');
  const rows = list.sections.flatMap((section) => [
    section.title ? el('div', { className: 'section' }, section.title) : null,
    ...section.rows.map((r) => el('button', {
      type: 'button', className: 'row-choice', dataset: { choiceId: r.id },
      onclick: () => send({ type: 'list', id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) }),
    }, r.title, r.description ? el('small', {}, r.description) : null)),
  ]);
  sheet.replaceChildren(el('h3', {}, list.button), ...rows.filter(Boolean), el('button', { type: 'button', className: 'close', onclick: closeSheet }, 'Cerrar'));
  sheet.hidden = false;
}

function closeSheet() {
  $('sheet').hidden = true;
}

await ensureChat().catch((error) => showError($('error'), `No se pudo empezar: ${error.message}`));
poll(refresh, REFRESH_MS);
