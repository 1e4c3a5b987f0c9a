import type { Rng } from '../../bitrix24/rng.js';
import type { AmoEvent } from '../types.js';

const B32 = '0123456789abcdefghjkmnpqrstvwxyz';

/** A ULID in lowercase Crockford base32, like the documented `01pz58t6p04ymgsgfbmfyfy1mf`: 10 time chars, 16 random. */
export function eventId(rng: Rng, createdAtS: number): string {
  let ms = createdAtS * 1000 + rng.int(0, 999);
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = B32[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += B32[rng.int(0, 31)];
  return time + rand;
}

/** Events kept sorted by created_at (then insertion order); the id index is built on first use. */
export class EventLog {
  rows: AmoEvent[] = [];
  version = 0;
  private byId: Map<string, AmoEvent> | null = null;

  add(e: AmoEvent): void {
    const last = this.rows.at(-1);
    if (!last || last.createdAt <= e.createdAt) this.rows.push(e);
    else this.rows.splice(upperBound(this.rows, e.createdAt), 0, e);
    this.byId?.set(e.id, e);
    this.version++;
  }

  /** Bulk load for the generator: sorts once instead of inserting one by one. */
  load(events: AmoEvent[]): void {
    this.rows = events.sort((a, b) => a.createdAt - b.createdAt);
    this.byId = null;
    this.version++;
  }

  get(id: string): AmoEvent | undefined {
    if (!this.byId) this.byId = new Map(this.rows.map((e) => [e.id, e]));
    return this.byId.get(id);
  }

  /** Index of the first event created at or after t. */
  from(t: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid] as AmoEvent).createdAt < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function upperBound(rows: AmoEvent[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as AmoEvent).createdAt <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
