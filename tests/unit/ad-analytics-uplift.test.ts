import { describe, expect, it } from 'vitest';
import {
  assignHoldout,
  computeUplift,
  normalCdf,
  normalQuantile,
  type GroupCounts,
  type UpliftResult,
} from '../../plugins/ad-analytics/uplift.js';

/** |actual − expected| ≤ tol·|expected|: tails span hundreds of orders of magnitude, absolute closeness says nothing. */
function expectRel(actual: number | null, expected: number, tol = 1e-12): void {
  expect(actual).not.toBeNull();
  const error = Math.abs((actual as number) - expected) / Math.abs(expected);
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

/** Walks the whole result: every number finite (no NaN, no ±Infinity), every money string a plain decimal. */
function expectAllFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  else if (typeof value === 'string' && path.endsWith('incrementalRevenue')) expect(value).toMatch(/^-?\d+\.\d{2}$/);
  else if (Array.isArray(value)) value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) expectAllFinite(v, `${path}.${key}`);
  }
}

const group = (n: number, conversions: number, revenue = '0.00'): GroupCounts => ({ n, conversions, revenue });

/** Incremental revenue alone: revT − revC × nT/nC. */
const incremental = (revC: string, nC: number, revT: string, nT: number) =>
  computeUplift({ control: group(nC, 0, revC), treatment: group(nT, 0, revT) }).incrementalRevenue;

describe('normal distribution', () => {
  it('matches published CDF values, deep tails included', () => {
    // Φ(1.96), the familiar 97.5% point.
    expectRel(normalCdf(1.96), 0.9750021048517795, 1e-15);
    expect(normalCdf(0)).toBe(0.5);
    // Tail probabilities Q(x) = Φ(−x) (Abramowitz & Stegun 26.2; 40-digit values from mpmath agree).
    expectRel(normalCdf(-1.96), 0.024997895148220435, 1e-14);
    expectRel(normalCdf(-5), 2.866515718791939e-7, 1e-14);
    expectRel(normalCdf(-10), 7.619853024160525e-24, 1e-13); // 7.6198530241605260660e-24
    expectRel(normalCdf(-20), 2.753624118606234e-89, 1e-12);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-40)).toBe(0); // below the smallest double, and no NaN on the way
  });

  it('is symmetric: Φ(x) + Φ(−x) = 1', () => {
    for (const x of [0.1, 0.5, 0.7, 1, 2.5, 4, 6]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });

  it('matches published quantiles', () => {
    expectRel(normalQuantile(0.975), 1.959963984540054, 1e-15);
    expectRel(normalQuantile(0.025), -1.959963984540054, 1e-15);
    expectRel(normalQuantile(0.8), 0.8416212335729143, 1e-15);
    expectRel(normalQuantile(0.995), 2.5758293035489004, 1e-15);
    expectRel(normalQuantile(1e-10), -6.361340902404056, 1e-14);
    expect(normalQuantile(0.5)).toBe(0);
    // Near the centre x ≈ (p − ½)·√(2π); the double nearest 0.5 + 1e-12 gives 2.50657282370186e-12 (mpmath).
    expectRel(normalQuantile(0.5 + 1e-12), 2.50657282370186e-12, 1e-9);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('inverts the CDF to 1e-12 relative from 1e-300 to 1 − 1e-12', () => {
    const ps = [1e-300, 1e-100, 1e-20, 1e-5, 0.001, 0.02424, 0.02426, 0.1, 0.3, 0.4999, 0.6, 0.9, 0.999, 1 - 1e-12];
    for (const p of ps) expectRel(normalCdf(normalQuantile(p)), p, 1e-12);
  });

  it('refuses a probability outside [0, 1]', () => {
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});

describe('two-proportion uplift, worked example: control 100/1000, treatment 130/1000', () => {
  const r = computeUplift({ control: group(1000, 100), treatment: group(1000, 130) });
  const z975 = 1.959963984540054; // z_{1−α/2} for α = 0.05
  const z80 = 0.8416212335729143; // z_{power} for power = 0.8

  it('rates and lifts', () => {
    expect(r.controlRate).toBe(0.1);
    expect(r.treatmentRate).toBe(0.13);
    expectRel(r.absoluteLift, 0.03); // 0.13 − 0.10
    expectRel(r.relativeLift, 0.3); // 0.03 / 0.10
    expect(r.warnings).toEqual([]);
  });

  it('pooled z and two-sided p', () => {
    // p̄ = (100 + 130) / 2000 = 0.115;  p̄(1 − p̄) = 0.115 × 0.885 = 0.101775
    // SE₀ = √(0.101775 × (1/1000 + 1/1000)) = √0.00020355 = 0.014267095009146045
    // z = 0.03 / 0.014267095009146045 = 2.1027406056221143   (not 2.1080)
    // p = 2·Φ(−2.1027406056221143) = 0.03548845046647469
    expectRel(r.zStatistic, 0.03 / Math.sqrt(0.00020355), 1e-12);
    expectRel(r.zStatistic, 2.1027406056221145, 1e-12);
    expectRel(r.pValue, 0.03548845046647469, 1e-11);
  });

  it('Wald interval at 95%', () => {
    // SE = √(0.10 × 0.90 / 1000 + 0.13 × 0.87 / 1000) = √(0.00009 + 0.0001131) = √0.0002031 = 0.014251315728731856
    // half-width = 1.959963984540054 × 0.014251315728731856 = 0.027932065560623636
    // CI = 0.03 ∓ 0.027932065560623636 = [0.002067934439376364, 0.057932065560623636]
    expect(r.confidenceInterval?.level).toBe(0.95);
    expectRel(r.confidenceInterval?.lower ?? null, 0.002067934439376364, 1e-10);
    expectRel(r.confidenceInterval?.upper ?? null, 0.057932065560623636, 1e-12);
    expectRel(r.confidenceInterval?.lower ?? null, 0.03 - z975 * Math.sqrt(0.0002031), 1e-10);
  });

  it('minimum detectable effect', () => {
    // MDE = (z_{0.975} + z_{0.8}) × √(pC(1 − pC)(1/nC + 1/nT))
    //     = (1.959963984540054 + 0.8416212335729143) × √(0.1 × 0.9 × 0.002)
    //     = 2.8015852181129683 × √0.00018 = 2.8015852181129683 × 0.013416407864998738 = 0.03758720995475504
    expectRel(r.minimumDetectableEffect, 0.03758720995475504, 1e-12);
    expectRel(r.minimumDetectableEffect, (z975 + z80) * Math.sqrt(0.00018), 1e-12);
  });

  it('incremental conversions', () => {
    expectRel(r.incrementalConversions, 30); // (0.13 − 0.10) × 1000
  });

  it('reports with another alpha', () => {
    const r90 = computeUplift({ control: group(1000, 100), treatment: group(1000, 130) }, { alpha: 0.1 });
    // z_{0.95} = 1.6448536269514722; half-width = 1.6448536269514722 × 0.014251315728731856 = 0.02344132862063...
    expectRel(r90.confidenceInterval?.level ?? null, 0.9, 1e-15);
    expectRel(r90.confidenceInterval?.upper ?? null, 0.03 + 1.6448536269514722 * Math.sqrt(0.0002031), 1e-12);
    expect(r90.pValue).toBe(r.pValue); // the test itself does not depend on alpha
  });
});

describe('required sample size per group', () => {
  it('is the textbook 3841 for 10% → 12% at α = 0.05, power 0.8', () => {
    // p1 = 0.10, p2 = 0.12, δ = 0.02, p̄ = 0.11
    // z_{0.975}·√(2 × 0.11 × 0.89) = 1.959963984540054 × √0.1958 = 1.959963984540054 × 0.44249293779... = 0.86726...
    // z_{0.8}·√(0.10 × 0.90 + 0.12 × 0.88) = 0.8416212335729143 × √0.1956
    //   = 0.8416212335729143 × 0.44226688... = 0.37222...
    // n = (0.86726... + 0.37222...)² / 0.02² = 1.536339.../0.0004 = 3840.847... → 3841 (Fleiss, no continuity correction)
    const r = computeUplift({ control: group(1000, 100), treatment: group(1000, 130) }, { targetLift: 0.02 });
    expect(r.requiredSampleSize).toBe(3841);
  });

  it('is symmetric in the direction of the change (12% → 10% needs the same)', () => {
    const r = computeUplift({ control: group(1000, 120), treatment: group(1000, 100) }, { targetLift: -0.02 });
    expect(r.requiredSampleSize).toBe(3841);
  });

  it('is null when no targetLift is asked for', () => {
    expect(computeUplift({ control: group(10, 1), treatment: group(10, 1) }).requiredSampleSize).toBeNull();
  });

  it('is null with a warning when the target leaves 0..1 or is too small to size', () => {
    const over = computeUplift({ control: group(100, 95), treatment: group(100, 96) }, { targetLift: 0.1 });
    expect(over.requiredSampleSize).toBeNull();
    expect(over.warnings.join('\n')).toMatch(/outside 0\.\.1/);
    const tiny = computeUplift({ control: group(100, 10), treatment: group(100, 12) }, { targetLift: 1e-200 });
    expect(tiny.requiredSampleSize).toBeNull();
    expect(tiny.warnings.join('\n')).toMatch(/too small/);
    expectAllFinite(over);
    expectAllFinite(tiny);
  });
});

describe('incremental revenue, exact to the kopeck', () => {
  it('scales control revenue to the treatment size with rational arithmetic', () => {
    // revT − revC × nT/nC = 150000.00 − 100000.01 × 1000/999
    // in kopecks: (15000000 × 999 − 10000001 × 1000) / 999 = (14985000000 − 10000001000) / 999 = 4984999000 / 999
    // 999 × 4989988 = 4984998012, remainder 988, and 988/999 ≥ ½ → 4989989 kopecks = 49899.89
    const r = computeUplift(
      { control: group(999, 90, '100000.01'), treatment: group(1000, 130, '150000.00') },
      { adSpend: '10000.00' },
    );
    expect(r.incrementalRevenue).toBe('49899.89');
    // ROAS = 49899.89 / 10000.00 = 4.989989
    expect(r.incrementalRoas).toBe(4.989989);
  });

  it('rounds exact halves away from zero, both signs', () => {
    // 0.01 − 0.01 × 1/2 = 0.005 → 0.01;  0.00 − 0.01 × 1/2 = −0.005 → −0.01
    expect(incremental('0.01', 2, '0.01', 1)).toBe('0.01');
    expect(incremental('0.01', 2, '0.00', 1)).toBe('-0.01');
    // 0.01 − 0.01 × 1/3 = 0.00666… → 0.01;  0.00 − 0.01 × 1/3 = −0.00333… → 0.00 (no "−0.00")
    expect(incremental('0.01', 3, '0.01', 1)).toBe('0.01');
    expect(incremental('0.01', 3, '0', 1)).toBe('0.00');
  });

  it('keeps amounts beyond 2^53 kopecks and more than two decimals exact', () => {
    // 123456789012345678.91 − 0 = itself; as a double it would print 123456789012345680
    const big = computeUplift({ control: group(7, 1, '0'), treatment: group(3, 1, '123456789012345678.91') });
    expect(big.incrementalRevenue).toBe('123456789012345678.91');
    // 10.005 − 0.001 × 1/1 = 10.004 → 10.00;  10.0051 − 0 → 10.01 (rounded once, at the end)
    expect(incremental('0.001', 1, '10.005', 1)).toBe('10.00');
    expect(incremental('0', 1, '10.0051', 1)).toBe('10.01');
  });

  it('gives ROAS only with a positive spend', () => {
    const counts = { control: group(100, 10, '1000.00'), treatment: group(100, 12, '1500.00') };
    // 1500.00 − 1000.00 × 100/100 = 500.00; 500.00 / 250.00 = 2
    expect(computeUplift(counts, { adSpend: '250.00' }).incrementalRoas).toBe(2);
    const none = computeUplift(counts);
    expect(none.incrementalRoas).toBeNull();
    expect(none.warnings).toEqual([]);
    const zero = computeUplift(counts, { adSpend: '0.00' });
    expect(zero.incrementalRoas).toBeNull();
    expect(zero.incrementalRevenue).toBe('500.00');
    expect(zero.warnings).toEqual(['ad spend is 0, so incremental ROAS is undefined']);
  });
});

describe('hashed holdout assignment', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `contact-${i}`);

  it('follows the documented draw', () => {
    // sha256("s\0\0contact-1") starts e4dcf76380d16af2 (checked with sha256sum); 0xe4dcf76380d16af2 / 2^64 = 0.89399667…
    expect(assignHoldout('contact-1', { salt: 's', share: 0.1 })).toBe('treatment');
    expect(assignHoldout('contact-1', { salt: 's', share: 0.8939 })).toBe('treatment');
    expect(assignHoldout('contact-1', { salt: 's', share: 0.894 })).toBe('holdout');
  });

  it('is deterministic', () => {
    const first = ids.slice(0, 1000).map((id) => assignHoldout(id, { salt: 'spring', share: 0.1 }));
    const again = ids.slice(0, 1000).map((id) => assignHoldout(id, { salt: 'spring', share: 0.1 }));
    expect(again).toEqual(first);
  });

  it('holds out the asked share: 0.1 ± 0.005 over 100,000 ids', () => {
    const held = ids.filter((id) => assignHoldout(id, { salt: 'spring', share: 0.1 }) === 'holdout').length;
    expect(Math.abs(held / ids.length - 0.1)).toBeLessThanOrEqual(0.005);
  });

  it('reshuffles with the salt and draws each stratum independently', () => {
    // Independent draws overlap on share² = 1% of ids: 1000 expected, binomial sd ≈ √(100000 × 0.01 × 0.99) ≈ 31.
    const overlap = (a: { salt: string; stratum?: string }, b: { salt: string; stratum?: string }) =>
      ids.filter(
        (id) =>
          assignHoldout(id, { ...a, share: 0.1 }) === 'holdout' && assignHoldout(id, { ...b, share: 0.1 }) === 'holdout',
      ).length;
    const salts = overlap({ salt: 'spring' }, { salt: 'autumn' });
    expect(salts).toBeGreaterThan(850);
    expect(salts).toBeLessThan(1150);
    const strata = overlap({ salt: 'spring', stratum: 'moscow' }, { salt: 'spring', stratum: 'kazan' });
    expect(strata).toBeGreaterThan(850);
    expect(strata).toBeLessThan(1150);
    // No stratum is the empty stratum.
    expect(overlap({ salt: 'spring' }, { salt: 'spring', stratum: '' })).toBe(
      ids.filter((id) => assignHoldout(id, { salt: 'spring', share: 0.1 }) === 'holdout').length,
    );
  });

  it('refuses a share outside (0, 1)', () => {
    for (const share of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => assignHoldout('x', { salt: 's', share })).toThrow(RangeError);
    }
  });
});

describe('degenerate inputs: nulls and warnings, never NaN or Infinity', () => {
  const options = { targetLift: 0.02, adSpend: '100.00' };
  const nullStats = (r: UpliftResult) => [
    r.absoluteLift,
    r.zStatistic,
    r.pValue,
    r.confidenceInterval,
    r.minimumDetectableEffect,
  ];

  it('empty control group', () => {
    const r = computeUplift({ control: group(0, 0), treatment: group(100, 10, '50.00') }, options);
    expectAllFinite(r);
    expect(r.controlRate).toBeNull();
    expect(r.treatmentRate).toBe(0.1);
    expect(nullStats(r)).toEqual([null, null, null, null, null]);
    expect([r.relativeLift, r.requiredSampleSize, r.incrementalConversions, r.incrementalRevenue, r.incrementalRoas]).toEqual(
      [null, null, null, null, null],
    );
    expect(r.warnings.join('\n')).toMatch(/control group is empty/);
  });

  it('empty treatment group (sample size still known from the control rate)', () => {
    const r = computeUplift({ control: group(1000, 100), treatment: group(0, 0) }, options);
    expectAllFinite(r);
    expect(r.controlRate).toBe(0.1);
    expect(r.treatmentRate).toBeNull();
    expect(r.requiredSampleSize).toBe(3841);
    expect(nullStats(r)).toEqual([null, null, null, null, null]);
    expect(r.incrementalRevenue).toBeNull();
    expect(r.warnings.join('\n')).toMatch(/treatment group is empty/);
  });

  it('both groups empty', () => {
    const r = computeUplift({ control: group(0, 0), treatment: group(0, 0) }, options);
    expectAllFinite(r);
    expect(r.warnings).toHaveLength(2);
  });

  it('both rates 0: no test, no interval, no MDE, no relative lift', () => {
    const r = computeUplift({ control: group(500, 0), treatment: group(400, 0) }, options);
    expectAllFinite(r);
    expect(r.absoluteLift).toBe(0);
    expect([r.relativeLift, r.zStatistic, r.pValue, r.confidenceInterval, r.minimumDetectableEffect]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(r.incrementalConversions).toBe(0);
    expect(r.incrementalRevenue).toBe('0.00');
    expect(r.incrementalRoas).toBe(0);
    // 0% → 2% is sizeable: p̄ = 0.01; (1.95996·√0.0198 + 0.84162·√0.0196)² / 0.0004
    //   = (0.27579 + 0.11783)² / 0.0004 = 387.4 → 388
    expect(r.requiredSampleSize).toBe(388);
    expect(r.warnings.join('\n')).toMatch(/both groups convert at 0%, so the standard error is 0/);
    expect(r.warnings.join('\n')).toMatch(/control converts at 0%/);
  });

  it('both rates 1', () => {
    const r = computeUplift({ control: group(50, 50), treatment: group(70, 70) }, options);
    expectAllFinite(r);
    expect(r.relativeLift).toBe(0);
    expect([r.zStatistic, r.pValue, r.confidenceInterval, r.minimumDetectableEffect, r.requiredSampleSize]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(r.warnings.join('\n')).toMatch(/both groups convert at 100%/);
  });

  it('0% against 100%: the pooled test exists, the unpooled interval does not', () => {
    const r = computeUplift({ control: group(10, 0), treatment: group(10, 10) });
    expectAllFinite(r);
    // p̄ = 0.5, SE₀ = √(0.25 × 0.2) = √0.05; z = 1 / √0.05 = √20 = 4.47213595499958
    expectRel(r.zStatistic, Math.sqrt(20), 1e-15);
    expect(r.confidenceInterval).toBeNull();
    expect(r.relativeLift).toBeNull();
    expect(r.warnings.join('\n')).toMatch(/unpooled standard error is 0/);
  });

  it('control at 0% with conversions in treatment', () => {
    const r = computeUplift({ control: group(100, 0), treatment: group(100, 5) }, options);
    expectAllFinite(r);
    expect(r.relativeLift).toBeNull();
    expect(r.minimumDetectableEffect).toBeNull();
    expect(r.zStatistic).not.toBeNull();
    expect(r.confidenceInterval).not.toBeNull();
  });

  it('refuses impossible counts and malformed input', () => {
    const ok = group(10, 1);
    const bad: [GroupCounts, GroupCounts][] = [
      [group(-1, 0), ok],
      [ok, group(10, -1)],
      [group(10, 11), ok],
      [ok, group(1.5, 1)],
      [ok, group(Number.NaN, 0)],
      [group(10, 1, '12,50'), ok],
      [ok, group(10, 1, '1e3')],
    ];
    for (const [control, treatment] of bad) expect(() => computeUplift({ control, treatment })).toThrow(RangeError);
    const badOptions = [
      { alpha: 0 },
      { alpha: 1 },
      { power: 1 },
      { power: 0.3 },
      { targetLift: 0 },
      { targetLift: Number.NaN },
      { adSpend: '-1.00' },
      { adSpend: '1 000' },
    ];
    for (const options of badOptions) {
      expect(() => computeUplift({ control: ok, treatment: ok }, options)).toThrow(RangeError);
    }
  });
});
