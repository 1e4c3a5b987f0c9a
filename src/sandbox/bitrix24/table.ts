/** Rows kept sorted by id with an id index; sorted views by other fields are cached until the next write. */
export class Table<R extends { id: number }> {
  rows: R[] = [];
  readonly byId = new Map<number, R>();
  version = 0;
  nextId = 1;
  private views = new Map<string, { version: number; rows: R[] }>();

  add(row: R): R {
    const last = this.rows.at(-1);
    if (last && last.id > row.id) {
      this.rows.splice(lowerBound(this.rows, row.id, (r) => r.id), 0, row);
    } else {
      this.rows.push(row);
    }
    this.byId.set(row.id, row);
    this.nextId = Math.max(this.nextId, row.id + 1);
    this.version++;
    return row;
  }

  get(id: number): R | undefined {
    return this.byId.get(id);
  }

  remove(id: number): boolean {
    if (!this.byId.delete(id)) return false;
    this.rows.splice(lowerBound(this.rows, id, (r) => r.id), 1);
    this.version++;
    return true;
  }

  touch(): void {
    this.version++;
  }

  view(key: string, cmp: (a: R, b: R) => number): R[] {
    const v = this.views.get(key);
    if (v && v.version === this.version) return v.rows;
    const rows = [...this.rows].sort(cmp);
    this.views.set(key, { version: this.version, rows });
    return rows;
  }
}

/** First index whose key is >= value. */
export function lowerBound<R>(rows: R[], value: number, key: (r: R) => number | null): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = key(rows[mid] as R);
    if (k === null || k < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
