import { createHash } from 'node:crypto';

/** Which side of a control-group experiment a contact or company falls on. */
export type HoldoutGroup = 'holdout' | 'treatment';

export interface HoldoutOptions {
  /** Names the experiment: a new salt reshuffles everyone, so separate experiments do not hold out the same people. */
  salt: string;
  /** Fraction of ids held out, strictly between 0 and 1 (callers default to 0.1). */
  share: number;
  /** Assign within a stratum (segment, region...) so each stratum is split on its own draw. */
  stratum?: string;
}

const TWO_POW_64 = 2 ** 64;

/**
 * Hashed, not random, so the assignment needs no storage: any process, any day, gives an id the same
 * group, and an id first seen next month lands where it would have landed today.
 *
 * The draw is the first 8 bytes of SHA-256(salt NUL stratum NUL id), read big-endian as an unsigned
 * integer u, and the id is held out when u / 2^64 < share. SHA-256 rather than a fast hash so the draws
 * are uniform and independent across salts and strata; the NUL separators keep ("ab", "c") and ("a", "bc")
 * apart.
 */
export function assignHoldout(id: string, options: HoldoutOptions): HoldoutGroup {
  const { salt, share, stratum } = options;
  if (!(share > 0 && share < 1)) {
    throw new RangeError(`holdout share must be strictly between 0 and 1, got ${share}`);
  }
  const digest = createHash('sha256').update(`${salt}\u0000${stratum ?? ''}\u0000${id}`, 'utf8').digest();
  const draw = digest.readBigUInt64BE(0);
  // u / 2^64 < share  ⇔  u < share·2^64. Scaling a double by a power of two is exact, and for an integer u
  // comparing with the ceiling is the same as comparing with the real threshold, so no rounding creeps in.
  return draw < BigInt(Math.ceil(share * TWO_POW_64)) ? 'holdout' : 'treatment';
}
