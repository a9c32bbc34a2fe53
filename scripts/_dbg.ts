import { createDb } from '../src/db/client.ts';
import { questionParts } from '../src/facts/question.ts';
import { matchPassages } from '../src/facts/retrieve.ts';
const db = createDb({ url: 'postgres://postgres@127.0.0.1:5432/facts_scratch' });
const q = process.argv[2];
const parts = await questionParts(db, q, []);
console.log(parts.map((p) => `${p.kind}:${p.words.slice(0, 4).join(',')}`));
console.log((await matchPassages(db, parts.map((p) => p.words), [])).map((m) => `${m.topic}#${m.ordinal} ${m.matched}`));
await db.end();
