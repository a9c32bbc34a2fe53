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
if (texts.length > 0) {
  for (let i = 0; i < 2000; i++) classify(texts[i % texts.length]); // warm up
  const rounds = Math.ceil(50_000 / texts.length);
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) classify(t);
  const perSecond = Math.round((rounds * texts.length) / ((performance.now() - started) / 1000));
  console.log(`throughput: ${perSecond.toLocaleString('en')} messages/s`);
}
