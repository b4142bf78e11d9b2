/** One recorded sale (or, without a meaningful price, a subject to value). */
export interface Sale {
  id: string;
  /** Sale date (UTC midnight). */
  date: Date;
  price: number;
  beds: number;
  baths: number;
  /** Living area, sqft. */
  sqft: number;
  /** Lot area, sqft. */
  lot: number;
  yearBuilt: number;
  /** Year renovated, 0 when never. */
  renovated: number;
  /** King County building grade 1–13 (or any comparable quality scale). */
  grade?: number;
  /** Condition 1–5. */
  condition?: number;
  waterfront?: boolean;
  /** View rating 0–4. */
  view?: number;
  /** ZIP code or, elsewhere, any area key (e.g. a neighbourhood). */
  zip: string;
  lat: number;
  lon: number;
  /** Average living area of the 15 nearest neighbours. */
  sqftLiving15?: number;
  floors?: number;
  sqftBasement?: number;
}

/** A property to value: a sale without a price. */
export type Subject = Omit<Sale, 'price'> & { price?: number };

export interface ValuationComp {
  id: string;
  distance_mi: number;
  /** YYYY-MM-DD */
  sale_date: string;
  price: number;
  adjusted_price: number;
  similarity: number;
  weight: number;
}

export type Trend = 'appreciating' | 'stable' | 'depreciating';
export type MarketPosition = 'above' | 'at' | 'below';

export interface MarketMetrics {
  count: number;
  median_price: number;
  median_ppsf: number;
  trend: Trend;
  subject_vs_market: MarketPosition;
}

export interface Valuation {
  estimate: number;
  low: number;
  high: number;
  /** 0..1 */
  confidence: number;
  confidence_label: 'high' | 'medium' | 'low';
  comps: ValuationComp[];
  market: MarketMetrics;
  limited_data: boolean;
  voice_summary: string;
}

export interface ValueOptions {
  asOf: Date;
}
