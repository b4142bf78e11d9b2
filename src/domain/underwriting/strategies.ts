/**
 * Deal-calculator strategies (reference §2.5): wholesale, flip, rental and BRRRR, with financing,
 * line-item expenses and the 0–100 strategy score and A–F grade. Pure; money rounded to cents,
 * percentages to one decimal, and the score reads the rounded figures it reports.
 */
import {
  GRADE_CUTOFFS,
  type DealGrade,
  type ExpenseAssumptions,
  type FeeSchedule,
  type FinancingTerms,
  type Strategy,
  type StrategyParams,
} from './constants.ts';
import { amortizedPayment, isPositive, money, pct1, usd } from './math.ts';
import { maoFor, totalFees } from './valuation.ts';

export interface FinancingDetail {
  loan_amount: number;
  down_payment: number;
  monthly_payment: number;
  interest_rate: number;
  loan_term_years: number;
}

export interface ExpenseBreakdown {
  property_management: number;
  vacancy_reserve: number;
  capex_reserve: number;
  repairs_reserve: number;
  insurance: number;
  property_tax: number;
  hoa: number;
  debt_service: number;
  /** Operating expenses + debt service. */
  total_monthly: number;
}

export interface BrrrrDetail {
  initial_cash_in: number;
  refi_loan_amount: number;
  cash_back_at_refi: number;
  cash_left_in_deal: number;
  refi_monthly_payment: number;
  infinite_return: boolean;
}

export interface StrategyResult {
  strategy: Strategy;
  arv: number;
  monthly_rent: number | null;
  rehab_cost: number;
  total_fees: number;
  /** MAO for the strategy (flip/rental/BRRRR floored at 0, wholesale not, as in the seed). */
  max_offer: number;
  /** ±10 % around a positive MAO, else null. */
  offer_range: { low: number; high: number } | null;
  /** Purchase price the numbers use: the what-if price when given, else the MAO. */
  offer_price: number;
  total_investment: number;
  gross_profit: number | null;
  net_profit: number | null;
  roi_percent: number | null;
  financing: FinancingDetail | null;
  expense_breakdown: ExpenseBreakdown | null;
  monthly_cash_flow: number | null;
  annual_cash_flow: number | null;
  noi_annual: number | null;
  cap_rate: number | null;
  cash_on_cash_return: number | null;
  break_even_rent: number | null;
  equity_capture: number | null;
  holding_costs: number | null;
  brrrr: BrrrrDetail | null;
  score: number;
  grade: DealGrade;
  factors: string[];
}

export function gradeFor(score: number): DealGrade {
  for (const [min, grade] of GRADE_CUTOFFS) if (score >= min) return grade;
  return 'F';
}

export type ScoreInput = Pick<
  StrategyResult,
  'strategy' | 'max_offer' | 'net_profit' | 'roi_percent' | 'monthly_cash_flow' | 'cap_rate' | 'cash_on_cash_return'
> & { brrrr?: Pick<BrrrrDetail, 'infinite_return' | 'cash_left_in_deal' | 'initial_cash_in'> | null };

/** Strategy score: starts at 50, every §2.5 adjustment, clamped 0–100; grade A ≥80, B ≥65, C ≥50, D ≥35, else F. */
export function scoreStrategy(r: ScoreInput): { score: number; grade: DealGrade; factors: string[] } {
  let score = 50;
  const factors: string[] = [];
  const add = (points: number, why: string) => {
    score += points;
    factors.push(why);
  };
  if (r.max_offer > 0) factors.push('Positive offer price');
  else add(-30, 'Offer price is not positive: the deal does not work');

  const profit = r.net_profit ?? 0;
  if (r.strategy === 'wholesale') {
    if (profit >= 10_000) add(15, `${usd(profit)} assignment fee`);
    else if (profit >= 5_000) add(5, `${usd(profit)} assignment fee (thin)`);
  }
  if (r.strategy === 'flip') {
    const roi = r.roi_percent;
    if (roi !== null) {
      if (roi >= 25) add(25, `${roi}% ROI: excellent`);
      else if (roi >= 15) add(15, `${roi}% ROI: good`);
      else if (roi >= 10) add(5, `${roi}% ROI: marginal`);
      else add(-10, `${roi}% ROI: weak`);
    }
    if (profit >= 50_000) add(10, `${usd(profit)} net profit`);
  }
  if (r.strategy === 'rental' || r.strategy === 'brrrr') {
    const cf = r.monthly_cash_flow;
    if (cf !== null) {
      if (cf >= 400) add(20, `${usd(cf)}/mo cash flow: strong`);
      else if (cf >= 200) add(10, `${usd(cf)}/mo cash flow: decent`);
      else if (cf > 0) add(2, `${usd(cf)}/mo cash flow: thin`);
      else add(-15, `Negative cash flow: ${usd(cf)}/mo`);
    }
    const cap = r.cap_rate;
    if (cap !== null) {
      if (cap >= 8) add(10, `${cap}% cap rate: excellent`);
      else if (cap >= 5) add(5, `${cap}% cap rate: average`);
      else add(-5, `${cap}% cap rate: below average`);
    }
    if (r.cash_on_cash_return !== null && r.cash_on_cash_return >= 12)
      add(10, `${r.cash_on_cash_return}% cash-on-cash: strong`);
  }
  if (r.strategy === 'brrrr' && r.brrrr) {
    if (r.brrrr.infinite_return) add(20, 'Infinite return: all cash recovered at the refinance');
    else if (r.brrrr.cash_left_in_deal < r.brrrr.initial_cash_in * 0.25) add(10, 'Recovered over 75% of cash at refi');
  }
  score = Math.max(0, Math.min(100, score));
  return { score, grade: gradeFor(score), factors };
}

export function financingFor(price: number, terms: FinancingTerms): FinancingDetail | null {
  if (!terms.use_financing || !(price > 0)) return null;
  const down = price * terms.down_payment_pct;
  const loan = price - down;
  return {
    loan_amount: money(loan),
    down_payment: money(down),
    monthly_payment: money(amortizedPayment(loan, terms.interest_rate, terms.loan_term_years)),
    interest_rate: terms.interest_rate,
    loan_term_years: terms.loan_term_years,
  };
}

export function expenseBreakdown(
  rent: number | null,
  exp: ExpenseAssumptions,
  debtService: number,
): ExpenseBreakdown | null {
  if (rent === null) return null;
  const pm = rent * exp.property_management_pct;
  const vac = rent * exp.vacancy_pct;
  const capex = rent * exp.capex_reserve_pct;
  const rep = rent * exp.repairs_pct;
  const fixed = exp.insurance_monthly + exp.property_tax_monthly + exp.hoa_monthly;
  return {
    property_management: money(pm),
    vacancy_reserve: money(vac),
    capex_reserve: money(capex),
    repairs_reserve: money(rep),
    insurance: exp.insurance_monthly,
    property_tax: exp.property_tax_monthly,
    hoa: exp.hoa_monthly,
    debt_service: money(debtService),
    total_monthly: money(pm + vac + capex + rep + fixed + debtService),
  };
}

export interface StrategyContext {
  arv: number;
  rent: number | null;
  rehab: number;
  fees: FeeSchedule;
  financing: FinancingTerms;
  expenses: ExpenseAssumptions;
  params: StrategyParams;
  /** What-if purchase price; replaces the MAO as the price paid. */
  price?: number | null;
}

const empty = {
  monthly_rent: null,
  gross_profit: null,
  net_profit: null,
  roi_percent: null,
  financing: null,
  expense_breakdown: null,
  monthly_cash_flow: null,
  annual_cash_flow: null,
  noi_annual: null,
  cap_rate: null,
  cash_on_cash_return: null,
  break_even_rent: null,
  equity_capture: null,
  holding_costs: null,
  brrrr: null,
} as const;

type Unscored = Omit<StrategyResult, 'score' | 'grade' | 'factors'>;
const scored = (r: Unscored): StrategyResult => ({ ...r, ...scoreStrategy(r) });

function offerBasics(strategy: Strategy, c: StrategyContext, floor: boolean) {
  const fees = totalFees(strategy, c.fees);
  const raw = maoFor(strategy, { arv: c.arv, rehab: c.rehab, rent: c.rent, fees, params: c.params }).mao;
  const max_offer = floor ? Math.max(raw, 0) : raw;
  const offer_price = isPositive(c.price) ? money(c.price) : max_offer;
  return {
    strategy,
    arv: c.arv,
    rehab_cost: money(c.rehab),
    total_fees: money(fees),
    max_offer,
    offer_range: max_offer > 0 ? { low: money(max_offer * 0.9), high: money(max_offer * 1.1) } : null,
    offer_price,
  };
}

/** Wholesale: profit = assignment fee (+ MAO − price when a what-if price is given); no capital in. */
export function wholesaleStrategy(c: StrategyContext): StrategyResult {
  const b = offerBasics('wholesale', c, false);
  const profit = money(c.fees.assignment_fee + (b.max_offer - b.offer_price));
  return scored({ ...empty, ...b, total_investment: 0, gross_profit: profit, net_profit: profit });
}

/** Flip: MAO floored at 0; profit = ARV − price − rehab − fees (− loan payments while holding); ROI = profit / cash in. */
export function flipStrategy(c: StrategyContext): StrategyResult {
  const b = offerBasics('flip', c, true);
  const holding = c.fees.holding_cost_per_month * c.fees.holding_months;
  const fin = financingFor(b.offer_price, c.financing);
  const carry = fin ? fin.monthly_payment * c.fees.holding_months : 0;
  const investment = (fin ? fin.down_payment + carry : b.offer_price) + b.rehab_cost + b.total_fees;
  const profit = c.arv - b.offer_price - b.rehab_cost - b.total_fees - carry;
  return scored({
    ...empty,
    ...b,
    total_investment: money(investment),
    gross_profit: money(c.arv - b.offer_price),
    net_profit: money(profit),
    roi_percent: investment > 0 ? pct1((profit / investment) * 100) : null,
    financing: fin,
    equity_capture: money(c.arv - b.offer_price),
    holding_costs: money(holding),
  });
}

interface RentMetrics {
  expense_breakdown: ExpenseBreakdown | null;
  monthly_cash_flow: number | null;
  annual_cash_flow: number | null;
  noi_annual: number | null;
  cap_rate: number | null;
  break_even_rent: number | null;
}
function rentMetrics(c: StrategyContext, price: number, debtService: number): RentMetrics {
  const exp = expenseBreakdown(c.rent, c.expenses, debtService);
  if (c.rent === null || exp === null)
    return {
      expense_breakdown: null,
      monthly_cash_flow: null,
      annual_cash_flow: null,
      noi_annual: null,
      cap_rate: null,
      break_even_rent: null,
    };
  const cf = money(c.rent - exp.total_monthly);
  const noi = money((c.rent - (exp.total_monthly - exp.debt_service)) * 12);
  return {
    expense_breakdown: exp,
    monthly_cash_flow: cf,
    annual_cash_flow: money(cf * 12),
    noi_annual: noi,
    cap_rate: price > 0 ? pct1((noi / price) * 100) : null,
    break_even_rent: exp.total_monthly,
  };
}

/** Rental: cash flow after expenses and debt service, cap rate = NOI / price, CoC = annual cash flow / cash in. */
export function rentalStrategy(c: StrategyContext): StrategyResult {
  const b = offerBasics('rental', c, true);
  const fin = financingFor(b.offer_price, c.financing);
  const investment = (fin ? fin.down_payment : b.offer_price) + b.rehab_cost + b.total_fees;
  const m = rentMetrics(c, b.offer_price, fin?.monthly_payment ?? 0);
  return scored({
    ...empty,
    ...b,
    ...m,
    monthly_rent: c.rent,
    total_investment: money(investment),
    gross_profit: b.offer_price > 0 ? money(c.arv - b.offer_price) : null,
    net_profit: m.annual_cash_flow,
    roi_percent: m.annual_cash_flow !== null && investment > 0 ? pct1((m.annual_cash_flow / investment) * 100) : null,
    cash_on_cash_return:
      m.annual_cash_flow !== null && investment > 0 ? pct1((m.annual_cash_flow / investment) * 100) : null,
    financing: fin,
  });
}

/**
 * BRRRR (needs a rent): buy as a rental, refinance at 75 % of ARV (7 %, 30 years), pay off the
 * purchase loan; cash left = cash in − (refi loan − purchase loan); infinite return when ≤ 0.
 * Cash flow, CoC (on cash left) and cap rate after the refinance.
 */
export function brrrrStrategy(c: StrategyContext): StrategyResult | null {
  if (c.rent === null) return null;
  const b = offerBasics('brrrr', c, true);
  const fin = financingFor(b.offer_price, c.financing);
  const cashIn = (fin ? fin.down_payment : b.offer_price) + b.rehab_cost + b.total_fees;
  const refiLoan = c.arv * c.params.brrrr_refi_ltv;
  const refiPayment = amortizedPayment(refiLoan, c.params.brrrr_refi_rate, c.params.brrrr_refi_term_years);
  const cashBack = refiLoan - (fin?.loan_amount ?? 0);
  const cashLeft = cashIn - cashBack;
  const infinite = cashLeft <= 0;
  const m = rentMetrics(c, b.offer_price, refiPayment);
  const coc = !infinite && m.annual_cash_flow !== null ? pct1((m.annual_cash_flow / cashLeft) * 100) : null;
  return scored({
    ...empty,
    ...b,
    ...m,
    monthly_rent: c.rent,
    total_investment: money(Math.max(cashLeft, 0)),
    gross_profit: money(c.arv - b.offer_price),
    net_profit: m.annual_cash_flow,
    roi_percent: coc,
    cash_on_cash_return: coc,
    financing: fin,
    brrrr: {
      initial_cash_in: money(cashIn),
      refi_loan_amount: money(refiLoan),
      cash_back_at_refi: money(cashBack),
      cash_left_in_deal: money(Math.max(cashLeft, 0)),
      refi_monthly_payment: money(refiPayment),
      infinite_return: infinite,
    },
  });
}
