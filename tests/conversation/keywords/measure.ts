// node tests/conversation/keywords/measure.ts FILE...
// Accuracy of the keyword understanding on labelled files, with every miss, and classification
// throughput: the figures the README quotes. Not a test (the tests assert the bars); a tool to look.
import { classify } from '../../../src/conversation/keywords/classify.ts';
import { readLabelled } from './labelled.ts';

for (const file of process.argv.slice(2)) {
  const rows = readLabelled(file);
  const misses = rows.filter((r) => classify(r.text).intent !== r.intent);
  const pct = (((rows.length - misses.length) / rows.length) * 100).toFixed(1);
  console.log(`${file}: ${pct} % (${rows.length - misses.length}/${rows.length})`);
  for (const m of misses) console.log(`  ${JSON.stringify(m.text)}: expected ${m.intent}, got ${classify(m.text).intent}`);
}

const texts = process.argv.slice(2).flatMap((f) => readLabelled(f).map((r) => r.text));
/** Messages per second over `messages`. */
function throughput(messages: readonly string[]): number {
  const started = performance.now();
  for (const m of messages) classify(m);
  return Math.round(messages.length / ((performance.now() - started) / 1000));
}

// a word no cache has seen, five letters or more so that typo correction runs on it
const unseen = (i: number): string => `zq${i.toString(26).replace(/\d/g, (d) => 'klmnopqrst'[Number(d)])}x`;

if (texts.length > 0) {
  const n = 50_000;
  for (let i = 0; i < 2000; i++) classify(texts[i % texts.length]); // warm up the JIT
  const repeated = Array.from({ length: n }, (_, i) => texts[i % texts.length]);
  // the worst case for the word cache: every message carries a word never seen before
  const novel = Array.from({ length: n }, (_, i) => `${texts[i % texts.length]} ${unseen(i)}`);
  console.log(`throughput: ${throughput(repeated).toLocaleString('en')} messages/s (labelled messages, repeated)`);
  console.log(`throughput: ${throughput(novel).toLocaleString('en')} messages/s (each with a never-seen word)`);
}
