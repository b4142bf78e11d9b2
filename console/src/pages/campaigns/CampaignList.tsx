import { useState } from 'react';
import { Link } from 'wouter';
import { useApi } from '../../api.ts';
import { Badge, Empty, Load, Page, Panel } from '../../components/ui.tsx';
import { count, dateTime, label } from '../../format.ts';
import { NewCampaignForm } from './NewCampaignForm.tsx';
import { finishedOf, purposeLabel, STATUS_TONE, type CampaignListed } from './types.ts';
import './campaigns.css';

/** Rows shown at first. */
const PAGE = 50;

/** The agent's campaigns, newest first, and the form to create one. */
export function CampaignList() {
  const list = useApi<CampaignListed[]>('/api/campaigns');
  const [shown, setShown] = useState(PAGE);
  return (
    <Page title="Campaigns">
      <Panel title="Your campaigns">
        <Load state={list} what="campaigns">
          {(campaigns) =>
            campaigns.length === 0 ? (
              <Empty>No campaigns yet: create one below.</Empty>
            ) : (
              <>
                <div className="table-wrap">
                  <table className="campaign-table">
                    <caption>Campaigns, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Purpose and playbook</th>
                        <th scope="col">Status</th>
                        <th scope="col">Progress</th>
                        <th scope="col">Created</th>
                      </tr>
                    </thead>
                    <tbody>
                      {campaigns.slice(0, shown).map((c) => (
                        <tr key={c.id}>
                          <th scope="row">
                            <Link href={`/campaigns/${c.id}`}>{c.name}</Link>
                          </th>
                          <td>
                            {purposeLabel(c.purpose)}
                            <br />
                            <code className="muted">{c.playbook}</code>
                          </td>
                          <td>
                            <Badge tone={STATUS_TONE[c.status]}>{label(c.status)}</Badge>
                          </td>
                          <td>
                            <Progress byStatus={c.targets_by_status} />
                          </td>
                          <td>{dateTime(c.created_at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {campaigns.length > shown ? (
                  <div className="row">
                    <button type="button" onClick={() => setShown((n) => n + PAGE)}>
                      Show more campaigns ({count(campaigns.length - shown)} more)
                    </button>
                  </div>
                ) : null}
              </>
            )
          }
        </Load>
      </Panel>
      <Panel title="New campaign">
        <NewCampaignForm />
      </Panel>
    </Page>
  );
}

/** "3 / 10": targets finished of all enrolled. */
function Progress({ byStatus }: { byStatus: Record<string, number> }) {
  const targets = Object.values(byStatus).reduce((n, k) => n + k, 0);
  return (
    <span>
      {count(finishedOf(byStatus))} / {count(targets)}
      <span className="sr-only"> targets finished</span>
    </span>
  );
}
