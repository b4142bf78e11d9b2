import { count, label, money } from '../../format.ts';
import { Badge, Empty, Facts, Panel } from '../../components/ui.tsx';
import { HealthBadge, days } from './shared.tsx';
import { stageLabel, type Heartbeat, type Property } from './types.ts';

const orDash = (n: number | null, unit = '') => (n === null ? '—' : `${count(n)}${unit}`);

/** The property's own facts. The API's `status` is its pipeline stage (there is no other status field). */
export function FactsPanel({ property: p }: { property: Property }) {
  return (
    <Panel title="Facts">
      {p.title ? <p>{p.title}</p> : null}
      <Facts
        items={[
          ['Address', `${p.address}, ${p.city}, ${p.state}${p.zip_code ? ` ${p.zip_code}` : ''}`],
          ['Price', money(p.price)],
          ['Bedrooms', orDash(p.bedrooms)],
          ['Bathrooms', orDash(p.bathrooms)],
          ['Square feet', orDash(p.square_feet)],
          ['Stage', stageLabel(p.status)],
          ['Property type', label(p.property_type)],
          ['Deal type', label(p.deal_type)],
          ['Year built', p.year_built === null ? '—' : String(p.year_built)],
          [
            'Deal score',
            p.deal_score === null ? '—' : `${count(p.deal_score)}${p.score_grade ? ` (${p.score_grade})` : ''}`,
          ],
        ]}
      />
    </Panel>
  );
}

/** Pipeline health: why it is stale or blocked, the stage checklist and the next step. */
export function HeartbeatPanel({ heartbeat: hb }: { heartbeat: Heartbeat | undefined }) {
  return (
    <Panel title="Heartbeat">
      {!hb ? (
        <Empty>No heartbeat for this property.</Empty>
      ) : (
        <>
          <p>
            <HealthBadge health={hb.health} /> {hb.health_reason}
          </p>
          <Facts
            items={[
              ['Stage', `${hb.stage_label} (${hb.stage_index + 1} of ${hb.total_stages})`],
              ['Days in stage', `${days(hb.days_in_stage)} (stale after ${days(hb.stale_threshold_days)})`],
              ['Since the last activity', days(hb.days_since_activity)],
              ['Next step', hb.next_action],
            ]}
          />
          <h3>Checklist</h3>
          <ul className="checklist">
            {hb.checklist.map((c) => (
              <li key={c.key}>
                <Badge tone={c.done ? 'good' : 'neutral'}>{c.done ? 'Done' : 'Not done'}</Badge> {c.label}
                {c.detail ? <span className="muted"> ({c.detail})</span> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
