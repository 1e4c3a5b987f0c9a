import { z } from 'zod';
import { sqlTypes } from './primitives.js';

/**
 * A quick check that a record is valid and already in the form its schema would return, so that the
 * store can take it as it is. `false` means only "not sure": the caller then parses with zod, which
 * gives the real answer and the error messages. Zod's object parsing costs about 12 µs for a deal;
 * this costs about 1 µs, and a bulk sync of valid, canonical records is the common case.
 */
export type PlainCheck = (input: Record<string, unknown>) => boolean;

type FieldCheck = (v: unknown) => boolean;

function fieldCheck(schema: z.ZodType): { check: FieldCheck; optional: boolean } {
  let s = schema;
  let optional = false;
  while (s instanceof z.ZodOptional) {
    optional = true;
    s = s.unwrap() as z.ZodType;
  }
  const meta = sqlTypes.get(s);
  if (meta) return { check: meta.plain, optional };
  if (s instanceof z.ZodBoolean) return { check: (v) => typeof v === 'boolean', optional };
  if (s instanceof z.ZodEnum) {
    const values = new Set<unknown>(s.options);
    return { check: (v) => values.has(v), optional };
  }
  // Anything else: zod itself, trusted only when it returns the very value it was given.
  const inner = s;
  return {
    check: (v) => {
      const r = inner.safeParse(v);
      return r.success && r.data === v;
    },
    optional,
  };
}

/**
 * The plain check of a strict object schema: no unknown keys, every field valid as it is. Fields in
 * `except` are left out, as keys the caller sets itself.
 */
export function plainCheck(schema: z.ZodObject, except: readonly string[] = []): PlainCheck {
  const shape = Object.entries(schema.shape).filter(([k]) => !except.includes(k));
  const fields = new Map(shape.map(([k, v]) => [k, fieldCheck(v as z.ZodType)]));
  const list = [...fields.entries()];
  return (input) => {
    for (const key in input) if (!fields.has(key)) return false;
    for (const [key, { check, optional }] of list) {
      const v = input[key];
      if (v === undefined ? !optional : !check(v)) return false;
    }
    return true;
  };
}
