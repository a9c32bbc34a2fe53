import { extractEntities } from './entities.ts';
import type { Entities } from './entities.ts';
import { pickIntent, scoreIntents } from './intents.ts';
import type { Intent } from './intents.ts';
import { normalise } from './normalise.ts';
import { isBusinessQuestion } from './business-questions.ts';
import { safetyIntent } from './safety.ts';

export type { Entities } from './entities.ts';
export type { Intent } from './intents.ts';
export { INTENTS } from './intents.ts';
export { intentFromReplyId } from './reply-ids.ts';

export interface Classification {
  intent: Intent;
  entities: Entities;
  /** 0..1: how clearly one intent stood out. Callers may hand low values to the AI path or ask back. */
  confidence: number;
}

// Confidence grows with the winner's score and shrinks when a rival came close: a score of 8 with no
// rival is near certain, two intents at 7 and 6 are a coin toss with a slight lean.
function confidenceOf(score: number, runnerUp: number): number {
  if (score === 0) return runnerUp > 0 ? 0.3 : 0.5;
  const strength = Math.min(1, score / 8);
  const margin = score / (score + runnerUp);
  return Math.round(Math.min(0.99, strength * margin) * 100) / 100;
}

// A safety reading is a pattern written for exactly that request, not a sum of hints.
const SAFETY_CONFIDENCE = 0.95;

/** Understand one customer message with keywords alone: no AI, no database, no network. */
export function classify(text: string): Classification {
  const { tokens, text: normalised } = normalise(text);
  // opting out and asking for a person come first: no shop word in the same message may outvote them
  const safety = safetyIntent(normalised);
  if (safety) {
    const entities = extractEntities(safety.intent, text, tokens, normalised);
    if (safety.complaint) entities.reason = 'complaint';
    return { intent: safety.intent, entities, confidence: SAFETY_CONFIDENCE };
  }
  const { intent, score, runnerUp } = pickIntent(scoreIntents(normalised));
  return { intent, entities: extractEntities(intent, text, tokens, normalised), confidence: confidenceOf(score, runnerUp) };
}

/** Whether the message asks a fact about the business (how to pay, hours, shipping, where, warranty). */
export function asksAboutTheBusiness(text: string): boolean {
  return isBusinessQuestion(normalise(text).text);
}
