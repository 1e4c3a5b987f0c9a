/**
 * The standard normal distribution, for p-values, confidence intervals and z-scores. p-values sit deep
 * in the tail, where 1 − Φ(x) computed naively is all rounding error, so the CDF goes through erfc
 * (W. J. Cody, "Rational Chebyshev approximations for the error function", 1969; the CALERF routine),
 * accurate to about 1e-16 relative across the range.
 */

// Cody's coefficients, written as the doubles his 18-digit constants round to.
const ERF_A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERFC_C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const ERFC_D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const ERFC_P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378, 0.016315387137302097,
];
const ERFC_Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** The coefficient tables have fixed lengths; this keeps noUncheckedIndexedAccess quiet without `!`. */
const at = (table: readonly number[], i: number): number => table[i] ?? 0;

/** erf(x) for |x| ≤ 0.46875, where it is small and must be computed directly to keep relative accuracy. */
function erfNear0(x: number): number {
  const z = x * x;
  let num = at(ERF_A, 4) * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + at(ERF_A, i)) * z;
    den = (den + at(ERF_B, i)) * z;
  }
  return (x * (num + at(ERF_A, 3))) / (den + at(ERF_B, 3));
}

/** erfc(y) for y > 0.46875. */
function erfcAway(y: number): number {
  if (y >= 26.543) return 0; // below the smallest double; also keeps Infinity from making NaN below
  let r: number;
  if (y <= 4) {
    let num = at(ERFC_C, 8) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + at(ERFC_C, i)) * y;
      den = (den + at(ERFC_D, i)) * y;
    }
    r = (num + at(ERFC_C, 7)) / (den + at(ERFC_D, 7));
  } else {
    const z = 1 / (y * y);
    let num = at(ERFC_P, 5) * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + at(ERFC_P, i)) * z;
      den = (den + at(ERFC_Q, i)) * z;
    }
    r = (ONE_OVER_SQRT_PI - (z * (num + at(ERFC_P, 4))) / (den + at(ERFC_Q, 4))) / y;
  }
  // exp(−y²) with y² split into a part exact in binary and a small remainder: y·y rounded would cost
  // relative accuracy of order y²·ε in the far tail.
  const ySixteenths = Math.trunc(y * 16) / 16;
  const rest = (y - ySixteenths) * (y + ySixteenths);
  return Math.exp(-ySixteenths * ySixteenths) * Math.exp(-rest) * r;
}

function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfNear0(x);
  const v = 0.5 - erfcAway(y) + 0.5;
  return x < 0 ? -v : v;
}

function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfNear0(x);
  const r = erfcAway(y);
  return x < 0 ? 2 - r : r;
}

/** Standard normal CDF Φ(x) = erfc(−x/√2) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

// Peter Acklam's rational approximation of the quantile (relative error below 1.15e-9), then one Halley
// step against the CDF above, which brings it to double precision.
const ACKLAM_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const ACKLAM_LOW = 0.02425;

const poly = (coefficients: readonly number[], x: number): number => coefficients.reduce((sum, c) => sum * x + c, 0);

/** Quantile for p in (0, 0.5], where it is computed with full relative accuracy. */
function lowerQuantile(p: number): number {
  let x: number;
  let error: number;
  if (p < ACKLAM_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
    error = 0.5 * erfc(-x * Math.SQRT1_2) - p;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(ACKLAM_A, r) * q) / (poly(ACKLAM_B, r) * r + 1);
    // Near the centre Φ(x) − p cancels; erf(x/√2)/2 − (p − 0.5) does not (p − 0.5 is exact here).
    error = 0.5 * erf(x * Math.SQRT1_2) - q;
  }
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Standard normal quantile Φ⁻¹(p); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normal quantile needs a probability in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Upper half by symmetry: 1 − p is exact for p ≥ 0.5, and the lower tail keeps its relative accuracy.
  return p <= 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}

// ---------------------------------------------------------------------------------------------------------
// Exact money. Amounts arrive as decimal strings (the model's `decimal`) and are held as BigInt units over a
// power of ten, so nothing is rounded until the single half-up rounding to kopecks at the end.
