import type { FastifyReply, FastifyRequest } from 'fastify';

// Fastify's validator coerces types and drops unknown properties without a word ({"text": 123} would go
// out as "123", {"txt": "hola"} as an empty body). The console's bodies are checked as sent instead, and
// anything off is a 400 that says what was wrong.

export type FieldType = 'string' | 'string[]';
export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** for a string: its length once trimmed; for a list: each item's */
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
}

/** A preValidation hook refusing a body that is not exactly an object of these fields with these types. */
export function strictBody(fields: Record<string, FieldSpec>, opts: { atLeastOne?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const problem = bodyProblem(request.body, fields, opts);
    if (problem) return reply.code(400).send({ error: problem });
  };
}

export function bodyProblem(body: unknown, fields: Record<string, FieldSpec>, opts: { atLeastOne?: boolean } = {}): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `the body must be a JSON object with ${describe(fields)}`;
  const given = body as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !Object.hasOwn(fields, k));
  if (unknown.length) return `unknown field ${unknown.join(', ')}; the fields are ${Object.keys(fields).join(', ')}`;
  for (const [name, spec] of Object.entries(fields)) {
    const value = given[name];
    if (value === undefined) {
      if (spec.required) return `${name} is required`;
      continue;
    }
    const problem = spec.type === 'string' ? stringProblem(name, value, spec) : listProblem(name, value, spec);
    if (problem) return problem;
  }
  if (opts.atLeastOne && !Object.keys(given).length) return `give at least one of ${Object.keys(fields).join(', ')}`;
  return undefined;
}

function stringProblem(name: string, value: unknown, spec: FieldSpec): string | undefined {
  if (typeof value !== 'string') return `${name} must be a string, not ${JSON.stringify(value)}`;
  const length = value.trim().length;
  if (length < (spec.minLength ?? 0)) return spec.minLength === 1 ? `${name} is blank` : `${name} must have at least ${spec.minLength} characters`;
  if (spec.maxLength !== undefined && length > spec.maxLength) return `${name} is ${length} characters long; at most ${spec.maxLength}`;
  return undefined;
}

function listProblem(name: string, value: unknown, spec: FieldSpec): string | undefined {
  if (!Array.isArray(value)) return `${name} must be a list of strings, not ${JSON.stringify(value)}`;
  if (spec.maxItems !== undefined && value.length > spec.maxItems) return `${name} has ${value.length} items; at most ${spec.maxItems}`;
  for (const item of value) {
    const problem = stringProblem(`each of ${name}`, item, spec);
    if (problem) return problem;
  }
  return undefined;
}

const describe = (fields: Record<string, FieldSpec>) => Object.entries(fields).map(([k, s]) => `${k} (${s.type}${s.required ? ', required' : ''})`).join(', ');
