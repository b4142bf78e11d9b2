/**
 * Deal calculator and what-if (reference §2.5): resolves ARV / rent / sqft through their source
 * chains, estimates rehab, runs all four strategies and recommends one. Pure: the caller loads the
 * property, valuation and comps and passes plain numbers.
 */
import { ValidationError } from '../errors.ts';
import {
  DEFAULT_EXPENSES,
  DEFAULT_FEES,
  DEFAULT_FINANCING,
  DEFAULT_REHAB_TIER,
  DEFAULT_STRATEGY_PARAMS,
  STRATEGIES,
  type DealGrade,
  type ExpenseAssumptions,
  type FeeSchedule,
  type FinancingTerms,
  type RehabTier,
  type Strategy,
  type StrategyParams,
} from './constants.ts';
import { delta, mean, pctText, usd } from './math.ts';
import {
  brrrrStrategy,
  flipStrategy,
  rentalStrategy,
  wholesaleStrategy,
  type StrategyContext,
  type StrategyResult,
} from './strategies.ts';
import {
  rehabEstimate,
  rentalYield,
  resolveArv,
  resolveRent,
  resolveSqft,
  type ArvSource,
  type RehabEstimate,
  type RentalYield,
  type RentSource,
  type Sourced,
  type SqftSource,
} from './valuation.ts';

export interface DealInput {
  address?: string | null;
  list_price?: number | null;
  /** Property record square footage. */
  square_feet?: number | null;
  zillow_living_area?: number | null;
  zestimate?: number | null;
  rent_zestimate?: number | null;
  /** Latest agentic underwriting, when any. */
  underwriting?: { arv_base?: number | null; rent_base?: number | null } | null;
  comp_sale_prices?: readonly number[];
  comp_rents?: readonly number[];
  rehab_tier?: RehabTier;
  fees?: Partial<FeeSchedule>;
  financing?: Partial<FinancingTerms>;
  expenses?: Partial<ExpenseAssumptions>;
  params?: Partial<StrategyParams>;
}

/** What-if overrides. Rates and the down payment are fractions (0.065 = 6.5 %). */
export interface DealOverrides {
  /** Purchase price: replaces each strategy's MAO as the price paid (and the yield's price). */
  price?: number;
  arv?: number;
  rent?: number;
  sqft?: number;
  rehab_tier?: RehabTier;
  rehab_amount?: number;
  use_financing?: boolean;
  interest_rate?: number;
  down_payment_pct?: number;
  loan_term_years?: number;
}

export interface DealResult {
  address: string | null;
  list_price: number | null;
  arv: number;
  monthly_rent: number | null;
  square_feet: number | null;
  rehab: RehabEstimate;
  data_sources: { arv: ArvSource | 'unknown'; rent: RentSource | 'unknown'; sqft: SqftSource | 'unknown' };
  rental_yield: RentalYield;
  financing_terms: FinancingTerms;
  wholesale: StrategyResult;
  flip: StrategyResult;
  rental: StrategyResult;
  /** Null when the rent is unknown. */
  brrrr: StrategyResult | null;
  /** Null when no strategy has a positive offer. */
  recommended_strategy: Strategy | null;
  recommendation_reason: string;
  voice_summary: string;
}

function checkOverrides(o: DealOverrides): void {
  for (const key of ['price', 'arv', 'rent', 'sqft', 'rehab_amount', 'loan_term_years'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      throw new ValidationError(`${key} must be a non-negative number`, { [key]: v });
  }
  for (const key of ['interest_rate', 'down_payment_pct'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1))
      throw new ValidationError(`${key} must be a fraction between 0 and 1`, { [key]: v });
  }
}

const nonNull = (xs: readonly (StrategyResult | null)[]): StrategyResult[] =>
  xs.filter((x): x is StrategyResult => x !== null);

/** Highest score among strategies with a positive offer; ties by net profit, then wholesale → flip → rental → BRRRR. */
export function recommendStrategy(results: readonly (StrategyResult | null)[]): StrategyResult | null {
  let best: StrategyResult | null = null;
  for (const r of nonNull(results)) {
    if (!(r.max_offer > 0)) continue;
    if (
      best === null ||
      r.score > best.score ||
      (r.score === best.score && (r.net_profit ?? 0) > (best.net_profit ?? 0))
    )
      best = r;
  }
  return best;
}

const LABEL: Record<Strategy, string> = { wholesale: 'Wholesale', flip: 'Flip', rental: 'Rental', brrrr: 'BRRRR' };

function reasonFor(r: StrategyResult | null): string {
  if (r === null) return 'No strategy shows positive numbers at current assumptions.';
  switch (r.strategy) {
    case 'wholesale':
      return `Wholesale earns ${usd(r.net_profit ?? 0)} assignment fee with no capital at risk (grade ${r.grade}).`;
    case 'flip':
      return `Flip yields ${usd(r.net_profit ?? 0)} profit (${pctText(r.roi_percent ?? 0)} ROI, grade ${r.grade}).`;
    case 'rental':
      return `Rental generates ${usd(r.monthly_cash_flow ?? 0)} a month cash flow (${pctText(r.cash_on_cash_return ?? 0)} cash-on-cash, grade ${r.grade}).`;
    case 'brrrr':
      return `BRRRR generates ${usd(r.monthly_cash_flow ?? 0)} a month after the refinance${r.brrrr?.infinite_return ? ' with an infinite return, all cash recovered' : ` (${pctText(r.cash_on_cash_return ?? 0)} cash-on-cash)`} (grade ${r.grade}).`;
  }
}

function dealVoice(d: Omit<DealResult, 'voice_summary'>): string {
  const parts = [
    d.address ? `Deal analysis for ${d.address}.` : 'Deal analysis.',
    `After-repair value ${usd(d.arv)} from ${d.data_sources.arv.replace(/_/g, ' ')}; ${d.rehab.tier} rehab about ${usd(d.rehab.cost)}.`,
    d.monthly_rent === null ? 'The rent is unknown.' : `Rent ${usd(d.monthly_rent)} a month.`,
    d.recommended_strategy
      ? `I recommend ${LABEL[d.recommended_strategy].toLowerCase()}. ${d.recommendation_reason}`
      : d.recommendation_reason,
    `Wholesale offer ${usd(d.wholesale.offer_price)}, grade ${d.wholesale.grade}.`,
    `Flip offer ${usd(d.flip.offer_price)}, profit ${usd(d.flip.net_profit ?? 0)}, grade ${d.flip.grade}.`,
  ];
  if (d.rental.monthly_cash_flow !== null)
    parts.push(
      `Rental offer ${usd(d.rental.offer_price)}, ${usd(d.rental.monthly_cash_flow)} a month, ${pctText(d.rental.cap_rate ?? 0)} cap rate, grade ${d.rental.grade}.`,
    );
  if (d.brrrr)
    parts.push(
      `BRRRR offer ${usd(d.brrrr.offer_price)}, ${usd(d.brrrr.monthly_cash_flow ?? 0)} a month after refinance, grade ${d.brrrr.grade}.`,
    );
  return parts.join(' ');
}

/** Runs all four strategies. Throws a ValidationError when no ARV source is known. */
export function calculateDeal(input: DealInput, overrides: DealOverrides = {}): DealResult {
  checkOverrides(overrides);
  const arv: Sourced<ArvSource> = resolveArv({
    override: overrides.arv,
    underwriting: input.underwriting?.arv_base,
    zestimate: input.zestimate,
    comps_mean: mean((input.comp_sale_prices ?? []).filter((p) => p > 0)),
    list_price: input.list_price,
  });
  if (arv.value === null)
    throw new ValidationError('No ARV data: add a valuation, comps, a list price or an ARV override.');
  const rent = resolveRent({
    override: overrides.rent,
    underwriting: input.underwriting?.rent_base,
    rent_zestimate: input.rent_zestimate,
    comps_mean: mean((input.comp_rents ?? []).filter((r) => r > 0)),
  });
  const sqft = resolveSqft({
    override: overrides.sqft,
    property: input.square_feet,
    zillow_living_area: input.zillow_living_area,
  });
  const tier = overrides.rehab_tier ?? input.rehab_tier ?? DEFAULT_REHAB_TIER;
  const rehab = rehabEstimate(sqft.value, tier, overrides.rehab_amount);
  const financing: FinancingTerms = {
    ...DEFAULT_FINANCING,
    ...input.financing,
    ...(overrides.use_financing !== undefined && { use_financing: overrides.use_financing }),
    ...(overrides.interest_rate !== undefined && { interest_rate: overrides.interest_rate }),
    ...(overrides.down_payment_pct !== undefined && { down_payment_pct: overrides.down_payment_pct }),
    ...(overrides.loan_term_years !== undefined && { loan_term_years: overrides.loan_term_years }),
  };
  const ctx: StrategyContext = {
    arv: arv.value,
    rent: rent.value,
    rehab: rehab.cost,
    fees: { ...DEFAULT_FEES, ...input.fees },
    financing,
    expenses: { ...DEFAULT_EXPENSES, ...input.expenses },
    params: { ...DEFAULT_STRATEGY_PARAMS, ...input.params },
    price: overrides.price ?? null,
  };
  const wholesale = wholesaleStrategy(ctx);
  const flip = flipStrategy(ctx);
  const rental = rentalStrategy(ctx);
  const brrrr = brrrrStrategy(ctx);
  const best = recommendStrategy([wholesale, flip, rental, brrrr]);
  const partial: Omit<DealResult, 'voice_summary'> = {
    address: input.address ?? null,
    list_price: input.list_price ?? null,
    arv: arv.value,
    monthly_rent: rent.value,
    square_feet: sqft.value,
    rehab,
    data_sources: { arv: arv.source, rent: rent.source, sqft: sqft.source },
    rental_yield: rentalYield(rent.value, overrides.price ?? input.list_price),
    financing_terms: financing,
    wholesale,
    flip,
    rental,
    brrrr,
    recommended_strategy: best?.strategy ?? null,
    recommendation_reason: reasonFor(best),
  };
  return { ...partial, voice_summary: dealVoice(partial) };
}

// ── What-if ───────────────────────────────────────────────────────────────────

export interface StrategyDelta {
  offer_price: number | null;
  net_profit: number | null;
  monthly_cash_flow: number | null;
  cap_rate: number | null;
  cash_on_cash_return: number | null;
  roi_percent: number | null;
  score: number | null;
  grade_before: DealGrade | null;
  grade_after: DealGrade | null;
}

export interface WhatIfResult {
  overrides: DealOverrides;
  base: DealResult;
  scenario: DealResult;
  deltas: Record<Strategy, StrategyDelta> & { arv: number | null; monthly_rent: number | null; rehab_cost: number };
  recommended_before: Strategy | null;
  recommended_after: Strategy | null;
  voice_summary: string;
}

function strategyDelta(after: StrategyResult | null, before: StrategyResult | null): StrategyDelta {
  return {
    offer_price: delta(after?.offer_price, before?.offer_price),
    net_profit: delta(after?.net_profit, before?.net_profit),
    monthly_cash_flow: delta(after?.monthly_cash_flow, before?.monthly_cash_flow),
    cap_rate: delta(after?.cap_rate, before?.cap_rate),
    cash_on_cash_return: delta(after?.cash_on_cash_return, before?.cash_on_cash_return),
    roi_percent: delta(after?.roi_percent, before?.roi_percent),
    score: delta(after?.score, before?.score),
    grade_before: before?.grade ?? null,
    grade_after: after?.grade ?? null,
  };
}

const signed = (n: number): string => (n >= 0 ? `up ${usd(n)}` : `down ${usd(-n)}`);

/** Re-runs the calculator with what-if overrides and reports the changes against the base case. */
export function whatIf(input: DealInput, overrides: DealOverrides): WhatIfResult {
  const base = calculateDeal(input);
  const scenario = calculateDeal(input, overrides);
  const per = Object.fromEntries(STRATEGIES.map((s) => [s, strategyDelta(scenario[s], base[s])])) as Record<
    Strategy,
    StrategyDelta
  >;
  const rec = scenario.recommended_strategy;
  const parts: string[] = ['With those changes,'];
  if (rec === null) parts.push('no strategy shows positive numbers.');
  else {
    const d = per[rec];
    const s = scenario[rec];
    parts.push(
      `${LABEL[rec].toLowerCase()} is the best fit at grade ${s?.grade ?? 'F'}` +
        (rec === 'rental' || rec === 'brrrr'
          ? `, cash flow ${d.monthly_cash_flow === null ? 'unchanged' : signed(d.monthly_cash_flow)} a month.`
          : `, profit ${d.net_profit === null ? 'unchanged' : signed(d.net_profit)}.`),
    );
  }
  if (rec !== base.recommended_strategy)
    parts.push(
      `That changes the recommendation from ${base.recommended_strategy ? LABEL[base.recommended_strategy].toLowerCase() : 'none'}.`,
    );
  return {
    overrides,
    base,
    scenario,
    deltas: {
      ...per,
      arv: delta(scenario.arv, base.arv),
      monthly_rent: delta(scenario.monthly_rent, base.monthly_rent),
      rehab_cost: delta(scenario.rehab.cost, base.rehab.cost) ?? 0,
    },
    recommended_before: base.recommended_strategy,
    recommended_after: rec,
    voice_summary: parts.join(' '),
  };
}
