import { Link } from 'wouter';
import { useApi } from '../../api.ts';
import { count, money } from '../../format.ts';
import { Badge, Empty, Facts, Load, Panel } from '../../components/ui.tsx';
import { BarChart } from '../../components/charts.tsx';
import { PriorityBadge } from './shared.tsx';
import { STAGES, type Digest as DigestData } from './types.ts';

/** Today's digest (GET /api/digest builds it now; it is not stored). */
export function Digest() {
  const digest = useApi<DigestData>('/api/digest');
  return (
    <Panel title="Today’s digest" className="digest">
      <Load state={digest} what="today’s digest">
        {(d) => (
          <>
            <p>
              <time dateTime={d.date}>{d.date}</time>: {d.voice_summary}
            </p>
            <Facts
              items={[
                ['Active properties', count(d.portfolio.active_properties)],
                ['Active listing value', money(d.portfolio.active_listing_value)],
                ['New in the last 24 hours', count(d.portfolio.new_last_24h)],
                ['Required contracts signed', `${d.contracts.completed} of ${d.contracts.required}`],
                ['Out for signature', count(d.contracts.out_for_signature)],
                ['Due within 3 days', count(d.contracts.deadlines_within_3_days)],
                [
                  'Last 24 hours',
                  `${count(d.activity_last_24h.actions)} actions, ${count(d.activity_last_24h.notes)} notes, ${count(d.activity_last_24h.offers)} offers`,
                ],
              ]}
            />
            <BarChart
              title="Properties by stage"
              bars={STAGES.map((s) => ({ label: s.label, value: d.portfolio.by_stage[s.key] ?? 0 }))}
            />
            <h3>Needs attention</h3>
            {d.alerts.length === 0 ? (
              <Empty>Nothing is stale or blocked.</Empty>
            ) : (
              <ul className="digest-list">
                {d.alerts.map((a, i) => (
                  <li key={i}>
                    <Badge tone={a.severity === 'high' ? 'bad' : 'warn'}>
                      {a.severity === 'high' ? 'High' : 'Medium'}
                    </Badge>{' '}
                    {a.message}{' '}
                    <Link href={`/properties/${a.property_id}`}>
                      Open <span className="sr-only">{a.address}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            <h3>First follow-ups</h3>
            {d.recommendations.length === 0 ? (
              <Empty>No follow-ups are due.</Empty>
            ) : (
              <ol className="digest-list">
                {d.recommendations.map((r) => (
                  <li key={r.property_id}>
                    <Link href={`/properties/${r.property_id}`}>{r.address}</Link>: {r.action}{' '}
                    <PriorityBadge priority={r.priority} />
                  </li>
                ))}
              </ol>
            )}
            {d.source === 'llm' ? <p className="muted">Summary written by the language model.</p> : null}
          </>
        )}
      </Load>
    </Panel>
  );
}
