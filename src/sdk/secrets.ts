/** A secret with the version it was stored under; every write makes a new version. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/**
 * The account's secrets (tokens, webhook keys), sealed at rest. Adapters keep credentials here, never in
 * their settings, logs or errors.
 */
export interface SecretStore<T = unknown> {
  read(): Promise<Versioned<T> | undefined>;
  write(value: T): Promise<Versioned<T>>;
  /**
   * Replaces the secret under a lock held across processes: `fn` runs only when the stored version is
   * still `seen` (nobody replaced it meanwhile), otherwise the newer secret is returned untouched. Calls
   * of one process for the same version share one run. This is how a token refresh happens exactly once.
   */
  rotate(seen: number, fn: (current: T) => Promise<T>): Promise<Versioned<T>>;
  erase(): Promise<void>;
}
