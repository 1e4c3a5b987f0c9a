import { z } from 'zod';
import { SvodkaError, type Cursor, type RawPage } from '../../src/sdk/index.js';
import type { Portal } from './client.js';
import { byId, changedSince, changesCursor, type ListSpec } from './lists.js';

/** A full pass by id remembers when it began, so the incremental pass after it misses no change made meanwhile. */
const fullCursor = z.object({ phase: z.literal('full'), afterId: z.int().nonnegative(), since: z.string().min(1) });
const followCursor = z.union([fullCursor, changesCursor.extend({ phase: z.literal('changes') })]);

/** Some minutes before the portal's clock said the pass began: covers clocks and in-flight writes. */
function sinceOf(portalTime: string | undefined): string {
  const t = portalTime ? Date.parse(portalTime) : NaN;
  const at = new Date((Number.isNaN(t) ? Date.now() : t) - 5 * 60_000);
  // Keep the portal's own format: ISO 8601 with an offset (UTC here).
  return at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** A long list: a full pass by id the first time, then what changed since, resumable at every page. */
export async function* followList(portal: Portal, spec: ListSpec, cursor: Cursor | null): AsyncIterable<RawPage> {
  const parsed = cursor === null ? null : followCursor.safeParse(cursor);
  if (parsed && !parsed.success) throw new SvodkaError('bitrix24_cursor', `the saved ${spec.method} cursor is not readable: run a full sync`);
  let c = parsed?.data ?? null;
  if (c === null) {
    const now = await portal.call<{ date_start?: string } | string>('server.time').catch(() => undefined);
    c = { phase: 'full', afterId: 0, since: sinceOf(typeof now?.result === 'string' ? now.result : now?.startedAt) };
  }
  if (c.phase === 'full') {
    const since = c.since;
    yield* byId(portal, spec, c.afterId, (afterId, done) =>
      done ? { phase: 'changes', since, afterId: 0 } : { phase: 'full', afterId, since },
    );
    c = { phase: 'changes', since, afterId: 0 };
  }
  for await (const page of changedSince(portal, spec, c)) {
    yield { ...page, cursor: page.cursor && { phase: 'changes', ...page.cursor } };
  }
}

