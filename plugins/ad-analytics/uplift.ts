/**
 * Control-group uplift: did the ads change conversion, by how much, is it more than noise, and what did
 * the extra conversions earn? Pure functions; money stays exact (BigInt), statistics are doubles.
 */
export { assignHoldout } from './holdout.js';
export type { HoldoutGroup, HoldoutOptions } from './holdout.js';

import { normalCdf, normalQuantile } from '../../src/sdk/normal.js';
import { divideKopecks, formatKopecks, kopecksOf, parseMoney, roundHalfUp, type Exact } from '../../src/sdk/money.js';

export { normalCdf, normalQuantile, divideKopecks, formatKopecks, kopecksOf };

/** num / den as a double without first turning either into one (both may exceed 2^53). */
function ratio(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const negative = num < 0n !== den < 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  // Scale so the integer quotient carries about 64 significant bits; Number() then rounds them to 53.
  const shift = 64 - (a.toString(2).length - b.toString(2).length);
  const q = shift >= 0 ? (a << BigInt(shift)) / b : a / (b << BigInt(-shift));
  const value = Number(q) * 2 ** -shift;
  return negative ? -value : value;
}

// ---------------------------------------------------------------------------------------------------------
// Uplift of a holdout experiment: treatment saw the ads, control (the holdout) did not.

export interface GroupCounts {
  /** Contacts (or companies) in the group. */
  n: number;
  /** How many of them converted. */
  conversions: number;
  /** Their revenue over the period, an exact decimal string such as "12345.67". */
  revenue: string;
}

export interface UpliftInput {
  control: GroupCounts;
  treatment: GroupCounts;
}

export interface UpliftOptions {
  /** Two-sided significance level, in (0, 1); default 0.05. */
  alpha?: number;
  /** Power for the minimum detectable effect and the sample size, in [0.5, 1); default 0.8. */
  power?: number;
  /** Absolute change in conversion rate to size the experiment for (0.02 = two percentage points). */
  targetLift?: number;
  /** Ad spend over the period, an exact decimal string; gives incremental ROAS. */
  adSpend?: string;
}

/** null wherever the statistic is undefined for these counts; `warnings` says why. */
export interface UpliftResult {
  controlRate: number | null;
  treatmentRate: number | null;
  /** pT − pC. */
  absoluteLift: number | null;
  /** (pT − pC) / pC. */
  relativeLift: number | null;
  /** Two-proportion z with the pooled proportion (the standard error under "no effect"). */
  zStatistic: number | null;
  /** Two-sided. */
  pValue: number | null;
  /** Wald interval for pT − pC at `level` = 1 − alpha, unpooled standard error. */
  confidenceInterval: { level: number; lower: number; upper: number } | null;
  /** Smallest absolute lift these group sizes detect at alpha (two-sided) and power. */
  minimumDetectableEffect: number | null;
  /** Per-group size to detect `targetLift`; null when no targetLift was given. */
  requiredSampleSize: number | null;
  /** (pT − pC) × nT: conversions the ads added in the treatment group. */
  incrementalConversions: number | null;
  /** revT − revC × nT / nC, exact, rounded half-up to kopecks. */
  incrementalRevenue: string | null;
  /** Incremental revenue / ad spend. */
  incrementalRoas: number | null;
  warnings: string[];
}

function checkGroup(group: GroupCounts, name: string): Exact {
  for (const key of ['n', 'conversions'] as const) {
    const v = group[key];
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`${name}.${key} must be a non-negative integer, got ${v}`);
    }
  }
  if (group.conversions > group.n) {
    throw new RangeError(`${name} has more conversions (${group.conversions}) than members (${group.n})`);
  }
  return parseMoney(group.revenue, `${name}.revenue`);
}

const percent = (p: number) => (p === 0 ? '0%' : '100%');

/**
 * Per-group n to detect p1 → p2 = p1 + δ (two-sided α, power 1 − β), the classic normal-approximation
 * formula (Fleiss, Statistical Methods for Rates and Proportions, without continuity correction):
 *   n = ( z_{1−α/2}·√(2p̄(1−p̄)) + z_{1−β}·√(p1(1−p1) + p2(1−p2)) )² / δ²,  p̄ = (p1 + p2) / 2,
 * the first term being the spread under "no effect", the second under the effect. Rounded up.
 */
function sampleSize(p1: number, delta: number, zAlpha: number, zPower: number, warnings: string[]): number | null {
  const p2 = p1 + delta;
  if (!(p2 >= 0 && p2 <= 1)) {
    warnings.push(`control rate ${p1} plus targetLift ${delta} is ${p2}, outside 0..1: no sample size detects it`);
    return null;
  }
  const pBar = (p1 + p2) / 2;
  const root = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  const n = Math.ceil((root * root) / (delta * delta));
  if (Number.isFinite(n)) return n;
  warnings.push(`targetLift ${delta} is too small to size an experiment for`);
  return null;
}

/**
 * Everything a holdout report shows, from the two groups' counts. Statistics the counts cannot define (an
 * empty group, a standard error of 0) come back null with an English warning, never NaN or Infinity, so a
 * report can show "not enough data" instead of nonsense. Impossible counts throw RangeError.
 */
export function computeUplift(groups: UpliftInput, options: UpliftOptions = {}): UpliftResult {
  const { alpha = 0.05, power = 0.8, targetLift, adSpend } = options;
  const revC = checkGroup(groups.control, 'control');
  const revT = checkGroup(groups.treatment, 'treatment');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be strictly between 0 and 1, got ${alpha}`);
  // Below 0.5 z_power turns negative and the MDE and sample size stop meaning anything.
  if (!(power >= 0.5 && power < 1)) throw new RangeError(`power must be at least 0.5 and below 1, got ${power}`);
  if (targetLift !== undefined && !(Number.isFinite(targetLift) && targetLift !== 0 && Math.abs(targetLift) < 1)) {
    throw new RangeError(`targetLift must be a non-zero change in conversion rate between -1 and 1, got ${targetLift}`);
  }
  const spend = adSpend === undefined ? undefined : parseMoney(adSpend, 'adSpend');
  if (spend && spend.units < 0n) throw new RangeError(`adSpend must not be negative, got ${adSpend}`);

  const warnings: string[] = [];
  const result: UpliftResult = {
    controlRate: null,
    treatmentRate: null,
    absoluteLift: null,
    relativeLift: null,
    zStatistic: null,
    pValue: null,
    confidenceInterval: null,
    minimumDetectableEffect: null,
    requiredSampleSize: null,
    incrementalConversions: null,
    incrementalRevenue: null,
    incrementalRoas: null,
    warnings,
  };
  const { n: nC, conversions: xC } = groups.control;
  const { n: nT, conversions: xT } = groups.treatment;
  const zAlpha = -normalQuantile(alpha / 2); // z_{1−α/2}, taken from the lower tail where it is exact
  const zPower = normalQuantile(power);

  if (nC === 0) warnings.push('control group is empty: lift, significance and incremental figures need both groups');
  if (nT === 0) warnings.push('treatment group is empty: lift, significance and incremental figures need both groups');
  const pC = nC > 0 ? xC / nC : null;
  const pT = nT > 0 ? xT / nT : null;
  result.controlRate = pC;
  result.treatmentRate = pT;
  if (pC !== null && targetLift !== undefined) {
    result.requiredSampleSize = sampleSize(pC, targetLift, zAlpha, zPower, warnings);
  }
  if (pC === null || pT === null) return result;

  const lift = pT - pC;
  result.absoluteLift = lift;
  if (pC > 0) result.relativeLift = lift / pC;

  // The test asks "could there be no effect?", so its standard error assumes one common rate.
  const pooled = (xC + xT) / (nC + nT);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / nC + 1 / nT));
  // The interval describes the effect as measured, so each group keeps its own variance.
  const waldSe = Math.sqrt((pC * (1 - pC)) / nC + (pT * (1 - pT)) / nT);
  if (pooledSe > 0) {
    result.zStatistic = lift / pooledSe;
    result.pValue = 2 * normalCdf(-Math.abs(result.zStatistic)); // both tails from the lower one, no 1 − Φ
  } else {
    warnings.push(
      `both groups convert at ${percent(pooled)}, so the standard error is 0: z, p-value and confidence interval are undefined`,
    );
  }
  if (waldSe > 0) {
    result.confidenceInterval = { level: 1 - alpha, lower: lift - zAlpha * waldSe, upper: lift + zAlpha * waldSe };
  } else if (pooledSe > 0) {
    warnings.push('each group converts at exactly 0% or 100%, so the unpooled standard error is 0: no confidence interval');
  }

  // MDE = (z_{1−α/2} + z_{power}) · √(pC(1−pC)(1/nC + 1/nT)): the lift that would reach significance with
  // probability `power`, taking the control rate as the baseline variance for both groups.
  if (pC > 0 && pC < 1) {
    result.minimumDetectableEffect = (zAlpha + zPower) * Math.sqrt(pC * (1 - pC) * (1 / nC + 1 / nT));
  } else {
    const what = pC === 0 ? 'relative lift and the minimum detectable effect are' : 'the minimum detectable effect is';
    warnings.push(`control converts at ${percent(pC)}, so ${what} undefined`);
  }

  result.incrementalConversions = xT - (xC * nT) / nC; // = (pT − pC)·nT without rounding pT and pC first

  // revT − revC·nT/nC = (a·nC − b·nT) / (scale·nC) over a common decimal scale; ×100 for kopecks.
  const scale = revT.scale > revC.scale ? revT.scale : revC.scale;
  const a = revT.units * (scale / revT.scale);
  const b = revC.units * (scale / revC.scale);
  const kopecks = roundHalfUp((a * BigInt(nC) - b * BigInt(nT)) * 100n, scale * BigInt(nC));
  result.incrementalRevenue = formatKopecks(kopecks);
  if (spend && spend.units === 0n) warnings.push('ad spend is 0, so incremental ROAS is undefined');
  // From the rounded kopecks, so ROAS agrees with the incremental revenue shown next to it.
  else if (spend) result.incrementalRoas = ratio(kopecks * spend.scale, 100n * spend.units);
  return result;
}
