/**
 * Underwriting and deal-calculator constants (reference §2.5; seed deal calculator defaults).
 * Rates and percentages in inputs are fractions (0.07 = 7 %); outputs named `*_percent`,
 * `cap_rate` and `cash_on_cash_return` are percentages.
 */

export const STRATEGIES = ['wholesale', 'flip', 'rental', 'brrrr'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const REHAB_TIERS = ['light', 'medium', 'heavy'] as const;
export type RehabTier = (typeof REHAB_TIERS)[number];

/** Rehab $/sqft by tier, and the flat totals used when the square footage is unknown. */
export const REHAB_PER_SQFT: Readonly<Record<RehabTier, number>> = { light: 15, medium: 35, heavy: 60 };
export const REHAB_FLAT_TOTAL: Readonly<Record<RehabTier, number>> = {
  light: 25_000,
  medium: 50_000,
  heavy: 100_000,
};
export const REHAB_RANGE = { low: 0.8, high: 1.2 } as const;
export const DEFAULT_REHAB_TIER: RehabTier = 'medium';

/** ARV and rent bands around the base (comps mean): ×0.9 / ×1.1. */
export const VALUE_BAND = { low: 0.9, high: 1.1 } as const;
/** Offer range around the MAO: ±10 %. */
export const OFFER_BAND = { low: 0.9, high: 1.1 } as const;

export interface FeeSchedule {
  closing_cost: number;
  holding_cost_per_month: number;
  holding_months: number;
  /** Wholesale only. */
  assignment_fee: number;
  misc_fee: number;
}
export const DEFAULT_FEES: Readonly<FeeSchedule> = {
  closing_cost: 5_000,
  holding_cost_per_month: 500,
  holding_months: 6,
  assignment_fee: 10_000,
  misc_fee: 1_500,
};

export interface FinancingTerms {
  use_financing: boolean;
  /** Fraction of the purchase price. */
  down_payment_pct: number;
  /** Annual rate as a fraction. */
  interest_rate: number;
  loan_term_years: number;
}
export const DEFAULT_FINANCING: Readonly<FinancingTerms> = {
  use_financing: false,
  down_payment_pct: 0.2,
  interest_rate: 0.07,
  loan_term_years: 30,
};

/** Monthly operating expenses: percentages of gross rent plus fixed monthly amounts. */
export interface ExpenseAssumptions {
  property_management_pct: number;
  vacancy_pct: number;
  capex_reserve_pct: number;
  repairs_pct: number;
  insurance_monthly: number;
  property_tax_monthly: number;
  hoa_monthly: number;
}
export const DEFAULT_EXPENSES: Readonly<ExpenseAssumptions> = {
  property_management_pct: 0.08,
  vacancy_pct: 0.05,
  capex_reserve_pct: 0.05,
  repairs_pct: 0.05,
  insurance_monthly: 150,
  property_tax_monthly: 300,
  hoa_monthly: 0,
};

export interface StrategyParams {
  wholesale_arv_pct: number;
  flip_target_margin: number;
  rental_arv_pct: number;
  rental_rent_multiplier: number;
  /** Rental ARV cap used when no rent is known (underwriting worker, §2.5). */
  rental_no_rent_arv_pct: number;
  brrrr_refi_ltv: number;
  brrrr_refi_rate: number;
  brrrr_refi_term_years: number;
}
export const DEFAULT_STRATEGY_PARAMS: Readonly<StrategyParams> = {
  wholesale_arv_pct: 0.7,
  flip_target_margin: 0.2,
  rental_arv_pct: 0.8,
  rental_rent_multiplier: 100,
  rental_no_rent_arv_pct: 0.75,
  brrrr_refi_ltv: 0.75,
  brrrr_refi_rate: 0.07,
  brrrr_refi_term_years: 30,
};

export type DealGrade = 'A' | 'B' | 'C' | 'D' | 'F';
/** Deal-calculator grade cut-offs (different from the property deal score of §2.2). */
export const GRADE_CUTOFFS: readonly (readonly [number, DealGrade])[] = [
  [80, 'A'],
  [65, 'B'],
  [50, 'C'],
  [35, 'D'],
];

/** White-paper rental yield categories on gross yield % (rent × 12 / price). */
export type YieldCategory = 'excellent' | 'good' | 'average' | 'poor' | 'unknown';
