/** Investor underwriting math (reference §2.5): ARV, rent, rehab, MAO, rental yield, deal calculator, what-if. */
export * from './constants.ts';
export * from './deal-calculator.ts';
export { amortizedPayment } from './math.ts';
export * from './strategies.ts';
export * from './valuation.ts';
