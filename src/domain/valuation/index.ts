export type {
  Sale,
  Subject,
  Valuation,
  ValuationComp,
  MarketMetrics,
  Trend,
  MarketPosition,
  ValueOptions,
} from './types.ts';
export { haversineMiles } from './geo.ts';
export { parseCsv, parseKcRows, parseKcSales, parseKcDate, splitCsvLine, CsvRowError } from './csv.ts';
export { buildSalesIndex, countBefore, modelAsOf, type SalesIndex } from './sales-index.ts';
export { DEFAULT_MODEL_PARAMS, type ModelParams } from './model.ts';
export { valueSubject, searchCandidates, DEFAULT_ENGINE_PARAMS, type EngineParams } from './value-subject.ts';
export { baselineEstimate } from './baseline.ts';
export { accuracy, type AccuracyReport } from './metrics.ts';
export { voiceSummary } from './summary.ts';
