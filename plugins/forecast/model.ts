/** The arithmetic of the forecast: pure, so that tests check it by hand. */

/** Beta(1, 1)-smoothed share: a stage seen twice, won once, is 0.5, not a certainty either way. */
export const smoothed = (hits: number, n: number) => (hits + 1) / (n + 2);

/** The share of wins that took at most x days, from the deciles of days to win (linear in between, 0 at 0). */
export function cycleCdf(deciles: readonly number[] | null, x: number): number {
  if (!deciles?.length) return 0;
  if (x <= 0) return 0;
  let prevQ = 0;
  let prevD = 0;
  for (let i = 0; i < deciles.length; i++) {
    const q = (i + 1) / deciles.length;
    const d = deciles[i]!;
    if (x <= d) return d === prevD ? q : prevQ + ((q - prevQ) * (x - prevD)) / (d - prevD);
    prevQ = q;
    prevD = d;
  }
  return 1;
}

/**
 * Revenue expected from leads not created yet: leads arrive at `perDay` for the `days` left; a lead
 * created t days from now wins with probability `conversion` and, if it does, closes within the quarter
 * with the share of past cycles no longer than days − t (so a lead of the last weeks cannot count in
 * full). Returns the expected number of such wins (in the quarter) and the value of one extra lead now
 * averaged over the days left.
 */
export function newLeadWins(perDay: number, conversion: number, deciles: readonly number[] | null, days: number) {
  let wins = 0;
  let perLead = 0;
  for (let t = 0; t < Math.floor(days); t++) {
    const f = cycleCdf(deciles, days - t - 0.5);
    wins += perDay * conversion * f;
    perLead += conversion * f;
  }
  return { wins, winsPerLead: days >= 1 ? perLead / Math.floor(days) : 0 };
}
