// The sandbox portal lives in Moscow time, as most Russian portals do: every date leaves with +03:00.
const OFFSET_MS = 3 * 3600_000;

/** Whole seconds: the wire format has no fractions, so stored times must not either. */
export function nowS(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}

export function iso(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19) + '+03:00';
}

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms == null ? null : iso(ms);
}

/** Accepts what portals accept: ISO 8601 with or without offset, a bare date, or DD.MM.YYYY [HH:MM[:SS]]. */
export function parseTime(v: unknown): number | null {
  if (typeof v !== 'string' || v === '') return null;
  const ru = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (ru) return Date.parse(`${ru[3]}-${ru[2]}-${ru[1]}T${ru[4] ?? '00'}:${ru[5] ?? '00'}:${ru[6] ?? '00'}+03:00`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T00:00:00+03:00`);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(v)) return Date.parse(v.replace(' ', 'T') + '+03:00');
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** Midnight Moscow time of the day that contains ms (how portals store date-only fields). */
export function dayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / 86_400_000) * 86_400_000 - OFFSET_MS;
}

/** The `time` block every answer carries. */
export function timeBlock(startMs: number, operating: number, resetAt: number): Record<string, unknown> {
  const finish = Date.now();
  const start = startMs / 1000;
  const duration = (finish - startMs) / 1000;
  return {
    start,
    finish: finish / 1000,
    duration,
    processing: duration,
    date_start: iso(Math.floor(startMs / 1000) * 1000),
    date_finish: iso(Math.floor(finish / 1000) * 1000),
    operating_reset_at: resetAt,
    operating,
  };
}
