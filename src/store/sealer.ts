import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, StoreError } from '../sdk/errors.js';

const version = 'v1';

/** Seals secrets (tokens) with AES-256-GCM before they reach the database, and opens them again. */
export class Sealer {
  private constructor(
    private key: Buffer | undefined,
    private readonly missing: string,
    private readonly load?: () => Buffer,
  ) {}

  /** The key derived from SVODKA_SECRET. */
  static fromSecret(secret: string): Sealer {
    if (secret.length < 16) throw new ConfigError('SVODKA_SECRET must be at least 16 characters');
    return new Sealer(scryptSync(secret, 'svodka.secrets.v1', 32), '');
  }

  /** The embedded default: a random key kept in a file only its owner can read, created on first use. */
  static fromKeyFile(path: string): Sealer {
    return new Sealer(undefined, '', () => {
      if (!existsSync(path)) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      }
      chmodSync(path, 0o600);
      const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
      if (key.length !== 32) throw new ConfigError(`${path} does not hold a 32-byte key`);
      return key;
    });
  }

  /** A key that lives as long as the process (tests, in-memory stores). */
  static ephemeral(): Sealer {
    return new Sealer(randomBytes(32), '');
  }

  /** No key: reading or writing a secret fails with `why`. */
  static none(why: string): Sealer {
    return new Sealer(undefined, why);
  }

  seal(value: unknown): string {
    const key = this.need();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): unknown {
    const key = this.need();
    const [v, data] = sealed.split(':');
    if (v !== version || !data) throw new StoreError('secret_unreadable', 'a stored secret has an unknown format');
    const raw = Buffer.from(data, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    } catch {
      throw new StoreError('secret_unreadable', 'a stored secret cannot be opened: was SVODKA_SECRET changed?');
    }
  }

  /**
   * An HMAC-SHA256 of `data` under a key derived from the sealing key for one `purpose` (dashboard
   * sessions, sign-in links): a signature made for one purpose is never valid for another.
   */
  mac(purpose: string, data: string): Buffer {
    // Derived once per purpose: every dashboard request checks a session.
    let key = this.macKeys.get(purpose);
    if (!key) this.macKeys.set(purpose, (key = Buffer.from(hkdfSync('sha256', this.need(), Buffer.alloc(0), `svodka.mac.${purpose}`, 32))));
    return createHmac('sha256', key).update(data).digest();
  }

  private readonly macKeys = new Map<string, Buffer>();

  private need(): Buffer {
    this.key ??= this.load?.();
    if (!this.key) throw new ConfigError(this.missing);
    return this.key;
  }
}
