import { normalCdf } from '../../src/sdk/index.js';
import { kpiIds, lowerIsBetter, type KpiConfig, type KpiId } from './config.js';

export type Kpis = Record<KpiId, number | null>;

export interface Contribution {
  kpi: KpiId;
  value: number;
  /** 0..1 after normalising among the ranked managers of the period (and turning lower-is-better around). */
  normalized: number;
  weight: number;
  /** Points of the 0..100 score this KPI gave: 100 × weight × normalized / the weights in play. */
  points: number;
}

/** Percentile rank with ties at their middle: (below + equal / 2) / n, in (0, 1). */
export function percentileRank(values: readonly number[], v: number): number {
  let below = 0;
  let equal = 0;
  for (const x of values) {
    if (x < v) below++;
    else if (x === v) equal++;
  }
  return (below + equal / 2) / values.length;
}

export function normalise(method: KpiConfig['normalise'], values: readonly number[], v: number): number {
  if (method === 'percentile') return percentileRank(values, v);
  if (method === 'minmax') {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return hi === lo ? 0.5 : (v - lo) / (hi - lo);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return sd === 0 ? 0.5 : normalCdf((v - mean) / sd);
}

/**
 * Scores the ranked managers of one period: each KPI a manager has is normalised among those who have
 * it, weighted, and summed to 0..100 over the weights in play (a KPI nobody has, or this manager lacks,
 * neither helps nor hurts). Rank 1 is the best; equal scores share the lower user id first.
 */
export function scorePeriod(
  rows: readonly { userId: string; kpis: Kpis }[],
  config: Pick<KpiConfig, 'normalise'>,
  weights: Record<KpiId, number>,
): Map<string, { score: number; rank: number; contributions: Contribution[] }> {
  const columns = new Map<KpiId, number[]>();
  for (const k of kpiIds) columns.set(k, rows.flatMap((r) => (r.kpis[k] === null ? [] : [r.kpis[k]!])));
  const scored = rows.map((r) => {
    const parts: Omit<Contribution, 'points'>[] = [];
    for (const k of kpiIds) {
      const value = r.kpis[k];
      const weight = weights[k];
      if (value === null || !weight) continue;
      const n = normalise(config.normalise, columns.get(k)!, value);
      parts.push({ kpi: k, value, normalized: lowerIsBetter.has(k) ? 1 - n : n, weight });
    }
    const total = parts.reduce((a, p) => a + p.weight, 0);
    const contributions = parts.map((p) => ({ ...p, points: total ? (100 * p.weight * p.normalized) / total : 0 }));
    const score = contributions.reduce((a, c) => a + c.points, 0);
    return { userId: r.userId, score, contributions };
  });
  scored.sort((a, b) => b.score - a.score || a.userId.localeCompare(b.userId, 'en', { numeric: true }));
  return new Map(scored.map((s, i) => [s.userId, { score: s.score, rank: i + 1, contributions: s.contributions }]));
}
