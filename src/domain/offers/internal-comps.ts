/**
 * Comparable properties from the agent's own portfolio (reference §2.4, internal portfolio):
 * price ratio 0.40, bedroom match 0.20, bathroom match 0.10, sqft ratio 0.30, normalised by the
 * weights available; kept at similarity ≥ 0.3, top 10.
 */
export interface CompSubject {
  price: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  squareFeet: number | null;
}

export interface CompCandidate extends CompSubject {
  id: number;
  address: string;
}

const ratio = (a: number, b: number): number => Math.min(a, b) / Math.max(a, b);
const match = (a: number, b: number): number => Math.max(0, 1 - Math.abs(a - b) / 3);

export function portfolioSimilarity(subject: CompSubject, c: CompSubject): number {
  let score = 0;
  let weight = 0;
  const add = (w: number, v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    score += w * v;
    weight += w;
  };
  add(0.4, subject.price && c.price ? ratio(subject.price, c.price) : null);
  add(0.2, subject.bedrooms !== null && c.bedrooms !== null ? match(subject.bedrooms, c.bedrooms) : null);
  add(0.1, subject.bathrooms !== null && c.bathrooms !== null ? match(subject.bathrooms, c.bathrooms) : null);
  add(0.3, subject.squareFeet && c.squareFeet ? ratio(subject.squareFeet, c.squareFeet) : null);
  return weight === 0 ? 0 : score / weight;
}

export function portfolioComps(subject: CompSubject, candidates: readonly CompCandidate[], min = 0.3, top = 10) {
  return candidates
    .filter((c) => c.price !== null && c.price > 0)
    .map((c) => ({ ...c, similarity: Math.round(portfolioSimilarity(subject, c) * 1000) / 1000 }))
    .filter((c) => c.similarity >= min)
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    .slice(0, top);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
