/** Pure intelligence algorithms (reference §2.2, §2.3, §2.5–§2.8). */
export * from './shared.ts';
export * from './deal-score.ts';
export * from './closing-probability.ts';
export * from './offer-analysis.ts';
export * from './follow-up-queue.ts';
export * from './relationship-health.ts';
export * from './learning.ts';
