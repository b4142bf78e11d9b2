/** Accuracy figures for a set of estimates against actual prices. */
export interface AccuracyReport {
  n: number;
  valued: number;
  coverage: number;
  mdape: number;
  within5: number;
  within10: number;
  within20: number;
}

export function accuracy(pairs: readonly { actual: number; estimate: number | null }[]): AccuracyReport {
  const ape: number[] = [];
  for (const { actual, estimate } of pairs) {
    if (estimate !== null && Number.isFinite(estimate)) ape.push(Math.abs(estimate - actual) / actual);
  }
  ape.sort((a, b) => a - b);
  const m = ape.length >> 1;
  const mdape = ape.length === 0 ? NaN : ape.length % 2 ? ape[m]! : (ape[m - 1]! + ape[m]!) / 2;
  const share = (t: number) => (ape.length === 0 ? 0 : ape.filter((x) => x <= t).length / ape.length);
  return {
    n: pairs.length,
    valued: ape.length,
    coverage: pairs.length === 0 ? 0 : ape.length / pairs.length,
    mdape,
    within5: share(0.05),
    within10: share(0.1),
    within20: share(0.2),
  };
}
