import { z } from 'zod';

/** How a write treats what the host CRM already holds. */
export const writePolicy = z.enum(['always', 'if_empty', 'if_changed']);

/** A write-back a plugin asks for; only the core sends it, through the outbox, once per key. */
export const writeIntent = z.object({
  /** Same key, same intent: adding it again is a no-op, and the echo webhook of our write changes nothing. */
  key: z.string().min(1).max(300),
  adapter: z.string().min(1),
  kind: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});
export type WriteIntent = z.infer<typeof writeIntent>;

/** A plugin's intent, with the write that takes it back (the previous owner, the previous value) when there is one. */
export const plannedWrite = writeIntent.extend({
  undo: z.object({ kind: z.string().min(1), payload: z.record(z.string(), z.unknown()) }).optional(),
});
export type PlannedWrite = z.infer<typeof plannedWrite>;
