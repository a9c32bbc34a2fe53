import type { Queryable } from '../db/client.ts';
import { CONCEPTS, conceptsOf, onlyTriggers, questionWords } from './concepts.ts';
import type { QuestionPart } from './rank.ts';
import { readWords } from './retrieve.ts';

// A customer's question as the parts the passages are searched for: each word a concept (any of its
// words), a word of the business's own text (typos corrected towards it), filler, or a word it never wrote.

// Words of asking that say nothing of what is asked ("¿ustedes hacen…?", "¿se puede…?"). Spanish stop
// words ("de", "tienen", "hay") are already dropped by PostgreSQL's stemmer.
const FILLER = new Set(`hacen hace hacer hago hacemos puede pueden puedo podemos podria podrian cuanto cuanta cuantos cuantas usted ustedes
  aceptan acepta aceptar reciben recibe recibir manejan maneja saber quiero quisiera queria necesito favor porfa hola buenas buenos gracias
  pregunta duda consulta informacion info alguien algo bien ok ahi alla aqui hay eso esto tambien igual entonces bueno listo dale
  senor senora amigo amiga vecino disculpe disculpa oiga cual cuales como cuando donde que es son sera seria tiene tienen`.split(/\s+/));

const CONCEPT_WORDS = [...new Set(CONCEPTS.flatMap((c) => c.words))].join(' ');

/** The parts of a question, read against the business's text (`extraTexts`: settings' facts not in the table). */
export async function questionParts(db: Queryable, text: string, extraTexts: readonly string[]): Promise<QuestionPart[]> {
  const words = [...new Set(questionWords(text))];
  const readings = await readWords(db, words, [...extraTexts, CONCEPT_WORDS]);
  const parts: QuestionPart[] = [];
  for (const [i, word] of words.entries()) {
    const r = readings[i];
    // a stop word ("entre", "para") is never a misspelling of anything ("entre" is not "entrega")
    const corrected = !r.known && r.lexeme !== null && r.nearest ? r.nearest : undefined;
    const concepts = [...new Set([...conceptsOf(word), ...(corrected ? conceptsOf(corrected) : [])])];
    // a concept word still counts when it is also filler-like ("donde" is both)
    if (concepts.length) {
      const kind = concepts.some((c) => c.topical) ? 'topic' : 'detail';
      const itself = onlyTriggers(corrected ?? word) ? [] : [word, ...(corrected ? [corrected] : [])];
      parts.push({ kind, words: [...new Set([...itself, ...concepts.flatMap((c) => c.words)])] });
      if (itself.length) parts.push({ kind: 'exact', words: [corrected ?? word] });
    } else if (FILLER.has(word)) parts.push({ kind: 'filler', words: [word] });
    else if (r.lexeme === null) continue; // a stop word
    else if (r.known) parts.push({ kind: 'word', words: [word] });
    else if (corrected) parts.push({ kind: 'word', words: [corrected] });
    else if (!/^\d+$/.test(word)) parts.push({ kind: 'unknown', words: [] });
  }
  return parts;
}

/** Which concepts the question names, by name (for the rules that depend on what is asked). */
export const namesConcept = (text: string, name: string): boolean => questionWords(text).some((w) => conceptsOf(w).some((c) => c.name === name));
