import { useState } from 'react';
import { Link } from 'wouter';
import { useApi } from '../../api.ts';
import { label, phone } from '../../format.ts';
import { Empty, Field, Load, Panel } from '../../components/ui.tsx';
import { ActionStatus, PriorityBadge, days, useAction } from './shared.tsx';
import type { FollowUpItem, FollowUpQueue } from './types.ts';

const SNOOZE_CHOICES = [
  { hours: 24, text: '1 day' },
  { hours: 72, text: '3 days' },
  { hours: 168, text: '1 week' },
];

/** Who to call next and why, with Snooze and Done (each POSTs, then the queue reloads). */
export function FollowUps() {
  const queue = useApi<FollowUpQueue>('/api/follow-ups?limit=10');
  const action = useAction(queue.reload);
  const [hours, setHours] = useState(72);
  const snoozeText = SNOOZE_CHOICES.find((c) => c.hours === hours)?.text ?? `${hours} hours`;

  const snooze = (item: FollowUpItem) =>
    void action.run(
      `snooze-${item.property_id}`,
      `/api/follow-ups/${item.property_id}/snooze`,
      { hours },
      `Snoozed ${item.address} for ${snoozeText}.`,
    );
  const complete = (item: FollowUpItem) =>
    void action.run(
      `done-${item.property_id}`,
      `/api/follow-ups/${item.property_id}/complete`,
      {},
      `Marked the follow-up on ${item.address} done.`,
    );

  return (
    <Panel title="Follow-up queue" className="follow-ups">
      <Field label="Snooze for">
        {(id) => (
          <select id={id} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {SNOOZE_CHOICES.map((c) => (
              <option key={c.hours} value={c.hours}>
                {c.text}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ActionStatus action={action} />
      <Load state={queue} what="the follow-up queue">
        {({ items, total }) =>
          items.length === 0 ? (
            <Empty>No follow-ups needed right now.</Empty>
          ) : (
            <>
              {total > items.length ? (
                <p className="muted">
                  The top {items.length} of {total}.
                </p>
              ) : null}
              <ol className="items">
                {items.map((item) => (
                  <li key={item.property_id} className="item">
                    <h3>
                      <Link href={`/properties/${item.property_id}`}>{item.address}</Link>{' '}
                      <PriorityBadge priority={item.priority} />
                    </h3>
                    <p>
                      <strong>{item.suggested_action}</strong>
                      {item.contact ? (
                        <>
                          {' '}
                          · {item.contact.name} ({label(item.contact.role)}), {phone(item.contact.phone)}
                        </>
                      ) : null}
                    </p>
                    <ul className="reasons">
                      {item.reasons.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                    <p className="muted">{days(item.days_since_activity)} since the last activity</p>
                    <div className="row">
                      <button
                        type="button"
                        onClick={() => snooze(item)}
                        aria-busy={action.busy === `snooze-${item.property_id}`}
                      >
                        Snooze <span className="sr-only">{item.address}</span>
                      </button>
                      <button
                        type="button"
                        className="primary"
                        onClick={() => complete(item)}
                        aria-busy={action.busy === `done-${item.property_id}`}
                      >
                        Done <span className="sr-only">{item.address}</span>
                      </button>
                    </div>
                  </li>
                ))}
              </ol>
            </>
          )
        }
      </Load>
    </Panel>
  );
}
