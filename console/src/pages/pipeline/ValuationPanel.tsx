import { useApi } from '../../api.ts';
import { count, label, money, percent } from '../../format.ts';
import { Empty, Facts, Load, Panel } from '../../components/ui.tsx';
import { DataTable, ScatterPlot } from '../../components/charts.tsx';
import type { Valuation } from './types.ts';

const miles = (n: number): string => `${n.toFixed(2)} mi`;
/** A comp's id is "<source id>@<sale date>"; the date has its own column. */
const compName = (id: string): string => id.split('@')[0] || id;

/** "This property (estimate)" is drawn highlighted at distance 0 among the comps. */
export const SUBJECT_LABEL = 'This property (estimate)';

/**
 * The estimate with its range and confidence, the market, and the comparable sales as a table and as a
 * scatter of sale price against distance. GET …/valuation already carries the comps (…/comps is the same
 * computation), so this is one request.
 */
export function ValuationPanel({ id }: { id: number }) {
  const valuation = useApi<Valuation>(`/api/properties/${id}/valuation`);
  return (
    <Panel title="Valuation and comps">
      <Load state={valuation} what="the valuation">
        {(v) => (
          <>
            <p className="estimate">
              <strong>{money(v.estimate)}</strong>{' '}
              <span className="muted">
                (range {money(v.low)} to {money(v.high)})
              </span>
            </p>
            {v.limited_data ? <p className="muted">Few nearby sales: treat this estimate with care.</p> : null}
            <Facts
              items={[
                ['Confidence', `${label(v.confidence_label)} (${percent(v.confidence, 0)})`],
                ['Market', `${v.sales_market}, as of ${v.as_of}`],
                ['Market median price', money(v.market.median_price)],
                ['Market median per sq ft', money(v.market.median_ppsf)],
                ['Trend', label(v.market.trend)],
                ['This property vs the market', label(v.market.subject_vs_market)],
                ['Sales in the market', count(v.market.count)],
              ]}
            />
            {v.assumed.length ? (
              <p className="muted">Assumed typical for the area: {v.assumed.map((a) => label(a)).join(', ')}.</p>
            ) : null}
            {v.comps.length === 0 ? (
              <Empty>No comparable sales.</Empty>
            ) : (
              <div className="valuation-comps">
                <ScatterPlot
                  title="Comp sale price vs distance"
                  xLabel="Distance (mi)"
                  yLabel="Sale price"
                  formatX={miles}
                  formatY={money}
                  points={[
                    ...v.comps.map((c) => ({ x: c.distance_mi, y: c.price, label: `Comp ${compName(c.id)}` })),
                    { x: 0, y: v.estimate, label: SUBJECT_LABEL, highlight: true },
                  ]}
                />
                <p className="muted legend">
                  <span className="legend-dot" aria-hidden="true" /> Comps ·{' '}
                  <span className="legend-dot highlight" aria-hidden="true" /> {SUBJECT_LABEL}
                </p>
                <div className="table-wrap pipeline-table">
                  <DataTable
                    caption="Comparable sales"
                    head={['Comp', 'Distance', 'Sale date', 'Sale price', 'Adjusted price', 'Similarity']}
                    rows={v.comps.map((c) => [
                      compName(c.id),
                      miles(c.distance_mi),
                      c.sale_date,
                      money(c.price),
                      money(c.adjusted_price),
                      percent(c.similarity, 0),
                    ])}
                  />
                </div>
              </div>
            )}
          </>
        )}
      </Load>
    </Panel>
  );
}
