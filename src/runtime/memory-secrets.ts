import type { SecretStore, Versioned } from '../sdk/secrets.js';
import { NotFoundError } from '../sdk/errors.js';

/** Secrets held only in this process: for checking credentials before anything is stored. */
export class MemorySecrets<T = unknown> implements SecretStore<T> {
  private current: Versioned<T> | undefined;
  private readonly pending = new Map<number, Promise<Versioned<T>>>();

  constructor(value?: T) {
    if (value !== undefined) this.current = { value, version: 1 };
  }

  async read(): Promise<Versioned<T> | undefined> {
    return this.current;
  }

  async write(value: T): Promise<Versioned<T>> {
    this.current = { value, version: (this.current?.version ?? 0) + 1 };
    return this.current;
  }

  /** As the store's: one run per seen version, however many callers ask at once. */
  rotate(seen: number, fn: (current: T) => Promise<T>): Promise<Versioned<T>> {
    const running = this.pending.get(seen);
    if (running) return running;
    const p = (async () => {
      if (!this.current) throw new NotFoundError('no credentials');
      if (this.current.version !== seen) return this.current;
      return this.write(await fn(this.current.value));
    })().finally(() => this.pending.delete(seen));
    this.pending.set(seen, p);
    return p;
  }

  async erase(): Promise<void> {
    this.current = undefined;
  }
}
