import type { SecretStore, Versioned } from '../sdk/secrets.js';
import { NotFoundError } from '../sdk/errors.js';

/** Secrets held only in this process: for checking credentials before anything is stored. */
export class MemorySecrets<T = unknown> implements SecretStore<T> {
  private current: Versioned<T> | undefined;

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

  async rotate(seen: number, fn: (current: T) => Promise<T>): Promise<Versioned<T>> {
    if (!this.current) throw new NotFoundError('no credentials');
    if (this.current.version !== seen) return this.current;
    return this.write(await fn(this.current.value));
  }

  async erase(): Promise<void> {
    this.current = undefined;
  }
}
