import { useState } from 'react';
import { query, useApi, useRefresh } from '../../api.ts';
import { Badge, Empty, Load, Pager, Panel } from '../../components/ui.tsx';
import { count, dateTime, phone } from '../../format.ts';
import type { AuditPage, DialDecision } from './types.ts';

export const AUDIT_PAGE = 50;

/**
 * The compliance audit: every dial decision (newest first, pages of 50) and, for a blocked one, each rule that
 * refused it with its reason. `refresh` changing fetches it again (the page polls while the campaign runs).
 */
export function CampaignAudit({ id, refresh }: { id: number; refresh: number }) {
  const [blockedOnly, setBlockedOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const audit = useApi<AuditPage>(
    `/api/campaigns/${id}/audit${query({ limit: AUDIT_PAGE, offset: offset || undefined, blocked_only: blockedOnly || undefined })}`,
  );
  useRefresh(audit, refresh);
  return (
    <Panel title="Compliance audit">
      <label className="campaign-check">
        <input
          type="checkbox"
          checked={blockedOnly}
          onChange={(e) => {
            setBlockedOnly(e.target.checked);
            setOffset(0);
          }}
        />{' '}
        Blocked dials only
      </label>
      <Load state={audit} what="the audit">
        {({ items: rows, total, offset: from }) =>
          rows.length === 0 ? (
            <Empty>
              {blockedOnly ? 'No dial has been blocked.' : 'No dial decisions yet: they appear as it dials.'}
            </Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="audit-table">
                  <caption>
                    Dial decisions, newest first ({count(from + 1)}–{count(from + rows.length)} of {count(total)}), with
                    the rules behind every blocked dial
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Number</th>
                      <th scope="col">Decision</th>
                      <th scope="col">Rules</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((d) => (
                      <tr key={d.id}>
                        <th scope="row">{dateTime(d.at)}</th>
                        <td className="campaign-nowrap">{phone(d.phone)}</td>
                        <td>{d.allowed ? <Badge tone="good">Allowed</Badge> : <Badge tone="bad">Blocked</Badge>}</td>
                        <td>
                          <Rules decision={d} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager offset={from} shown={rows.length} total={total} pageSize={AUDIT_PAGE} onPage={setOffset} />
            </>
          )
        }
      </Load>
    </Panel>
  );
}

function Rules({ decision }: { decision: DialDecision }) {
  if (decision.allowed) return <span className="muted">All {decision.rules.length} rules passed</span>;
  const failed = decision.rules.filter((r) => !r.ok);
  // blocked_by names the failed rules; a rule named there without an entry in `rules` still shows.
  const named = decision.blocked_by.filter((b) => !failed.some((r) => r.rule === b));
  return (
    <ul className="campaign-rules">
      {failed.map((r, i) => (
        <li key={`${r.rule}-${i}`}>
          <code>{r.rule}</code>: {r.detail}
        </li>
      ))}
      {named.map((rule) => (
        <li key={rule}>
          <code>{rule}</code>
        </li>
      ))}
    </ul>
  );
}
