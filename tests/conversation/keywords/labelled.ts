import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Entities, Intent } from '../../../src/conversation/keywords/classify.ts';

export interface Labelled {
  text: string;
  intent: Intent;
  entities?: Entities;
}

/** The project's labelled examples live in shared/, beside the repository (DESIGN §3). */
// The shared labelled examples beside the project (../shared/intents.jsonl) when they are there; else the
// copy kept with the tests, so a checkout built anywhere else still runs them.
const SHARED_FILE = fileURLToPath(new URL('../../../../shared/intents.jsonl', import.meta.url));
export const EXAMPLES_FILE = existsSync(SHARED_FILE) ? SHARED_FILE : fileURLToPath(new URL('./intents.shared.jsonl', import.meta.url));
export const HELDOUT_FILE = fileURLToPath(new URL('./heldout.jsonl', import.meta.url));
/** A second held-out set, written before the issue 12 tuning and never tuned on (see README). */
export const HELDOUT_2_FILE = fileURLToPath(new URL('./heldout-2.jsonl', import.meta.url));
/** The messages the rules are tuned on: the issue 12 examples and their kin. */
export const DEV_FILE = fileURLToPath(new URL('./dev.jsonl', import.meta.url));

export function readLabelled(file: string): Labelled[] {
  if (!existsSync(file)) throw new Error(`${file} is missing: the labelled examples are needed for these tests`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Labelled);
}
