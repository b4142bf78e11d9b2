import { useState } from 'react';
import { Link } from 'wouter';
import { query, useApi, useRefresh } from '../../api.ts';
import { Badge, Empty, Field, Load, Pager, Panel, type Tone } from '../../components/ui.tsx';
import { count, dateTime, duration, label, phone } from '../../format.ts';
import { callPath } from '../calls/model.ts';
import { TARGET_STATUS_WORDS, type CampaignTargetPage, type CampaignTargetRow } from './types.ts';

export const TARGETS_PAGE = 25;

const TONE: Record<string, Tone> = {
  done: 'good',
  answered: 'info',
  conversation: 'info',
  dialing: 'info',
  ringing: 'info',
  voicemail: 'info',
  retryScheduled: 'warn',
  exhausted: 'warn',
  blocked: 'bad',
  optedOut: 'bad',
};

/** "Attempt 2 · Completed · Human · 1:35" and a link to the call's review when a person answered. */
function LastDial({ dial, who }: { dial: CampaignTargetRow['last_dial']; who: string }) {
  if (!dial) return <>—</>;
  const parts = [`Attempt ${dial.attempt_no}`, label(dial.status)];
  if (dial.answered_by) parts.push(label(dial.answered_by));
  if (dial.duration_sec != null) parts.push(duration(dial.duration_sec));
  return (
    <>
      {parts.join(' · ')}
      <br />
      <span className="muted">{dateTime(dial.started_at)}</span>
      {dial.call_sid ? (
        <>
          {' '}
          <Link href={callPath(dial.call_sid)}>
            Review<span className="sr-only">: the call with {who}</span>
          </Link>
        </>
      ) : null}
    </>
  );
}

/**
 * The numbers the campaign calls, in enrolment order: where each one is, its attempts, outcome, next attempt
 * and latest dial (with the call's review). Filter by status; pages of 25; `refresh` fetches it again.
 */
export function CampaignTargets({ id, refresh }: { id: number; refresh: number }) {
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const targets = useApi<CampaignTargetPage>(
    `/api/campaigns/${id}/targets${query({ status, limit: TARGETS_PAGE, offset: offset || undefined })}`,
  );
  useRefresh(targets, refresh);
  return (
    <Panel title="Targets">
      <div className="targets-filter">
        <Field label="Status">
          {(fieldId) => (
            <select
              id={fieldId}
              value={status}
              onChange={(e) => {
                setStatus(e.target.value);
                setOffset(0);
              }}
            >
              <option value="">Every status</option>
              {Object.entries(TARGET_STATUS_WORDS).map(([key, word]) => (
                <option key={key} value={key}>
                  {word}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Load state={targets} what="the targets">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{status ? 'No target is in this status.' : 'No targets yet: enrol numbers to call.'}</Empty>
          ) : (
            <>
              <div className="table-wrap" aria-busy={targets.loading}>
                <table className="targets-table">
                  <caption>
                    Targets in enrolment order ({count(page.offset + 1)}–{count(page.offset + page.items.length)} of{' '}
                    {count(page.total)})
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Number</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Next attempt</th>
                      <th scope="col">Latest dial</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((t) => (
                      <tr key={t.id}>
                        <th scope="row" className="campaign-nowrap">
                          {t.name ? (
                            <>
                              {t.name}
                              <br />
                            </>
                          ) : null}
                          {phone(t.phone)}
                        </th>
                        <td>
                          <Badge tone={TONE[t.status] ?? 'neutral'}>
                            {TARGET_STATUS_WORDS[t.status] ?? label(t.status)}
                          </Badge>
                        </td>
                        <td>{count(t.attempts)}</td>
                        <td>
                          {t.outcome ? label(t.outcome) : '—'}
                          {t.outcome_note ? <div className="muted">{t.outcome_note}</div> : null}
                        </td>
                        <td>{t.next_attempt_at ? dateTime(t.next_attempt_at) : '—'}</td>
                        <td>
                          <LastDial dial={t.last_dial} who={t.name ?? phone(t.phone)} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                offset={page.offset}
                shown={page.items.length}
                total={page.total}
                pageSize={TARGETS_PAGE}
                onPage={setOffset}
              />
            </>
          )
        }
      </Load>
    </Panel>
  );
}
