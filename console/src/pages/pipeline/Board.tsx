import { Link } from 'wouter';
import { query, useApi } from '../../api.ts';
import { count, money } from '../../format.ts';
import { Empty, Load, Panel } from '../../components/ui.tsx';
import { HealthBadge, days } from './shared.tsx';
import { STAGES, type Property, type PropertyList, type Stage } from './types.ts';

/** The most cards one column shows (the list endpoint's maximum page). */
export const COLUMN_LIMIT = 100;

/** The pipeline as a board: one column per stage, in pipeline order; scrolls sideways on a narrow screen. */
export function Board() {
  return (
    <section className="board" aria-label="Pipeline board" tabIndex={0}>
      {STAGES.map((s) => (
        <StageColumn key={s.key} stage={s.key} title={s.label} />
      ))}
    </section>
  );
}

/** Days in stage from the heartbeat, else from when the property entered its stage. */
function daysInStage(p: Property): number {
  if (p.heartbeat) return p.heartbeat.days_in_stage;
  return Math.max(0, Math.round((Date.now() - new Date(p.stage_entered_at).getTime()) / 8_640_000) / 10);
}

/** One stage's properties (one request: the list carries each property's heartbeat), longest in stage first. */
function StageColumn({ stage, title }: { stage: Stage; title: string }) {
  const list = useApi<PropertyList>(
    `/api/properties${query({ status: stage, limit: COLUMN_LIMIT, include_heartbeat: true })}`,
  );
  return (
    <Panel title={title} className="board-column">
      <Load state={list} what={title}>
        {({ items, total }) => {
          const sorted = [...items].sort((a, b) => daysInStage(b) - daysInStage(a));
          return (
            <>
              <p className="muted column-count">
                {total === 1 ? '1 property' : `${count(total)} properties`}
                {total > items.length ? ` (showing the ${count(items.length)} newest)` : ''}
              </p>
              {sorted.length === 0 ? (
                <Empty>No properties in this stage.</Empty>
              ) : (
                <ul className="cards">
                  {sorted.map((p) => (
                    <PropertyCard key={p.id} property={p} />
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </Load>
    </Panel>
  );
}

function PropertyCard({ property: p }: { property: Property }) {
  const health = p.heartbeat?.health;
  const beds = p.bedrooms === null ? '—' : `${p.bedrooms} bd`;
  const baths = p.bathrooms === null ? '—' : `${p.bathrooms} ba`;
  return (
    <li>
      <article className={`card health-${health ?? 'unknown'}`}>
        <h3>
          <Link href={`/properties/${p.id}`}>{p.address}</Link>
        </h3>
        <p className="card-line">
          <span>{money(p.price)}</span>
          <span>
            {beds} · {baths}
          </span>
        </p>
        <p className="card-line">
          <span>{days(daysInStage(p))} in stage</span>
          <HealthBadge health={health} />
        </p>
        {p.heartbeat && p.heartbeat.health !== 'healthy' ? (
          <p className="muted card-reason">{p.heartbeat.health_reason}</p>
        ) : null}
      </article>
    </li>
  );
}
