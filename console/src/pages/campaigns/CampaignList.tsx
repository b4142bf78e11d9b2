import { useState } from 'react';
import { Link } from 'wouter';
import { useApi } from '../../api.ts';
import { Badge, Empty, ErrorNote, Loading, Page, Panel } from '../../components/ui.tsx';
import { count, dateTime, label } from '../../format.ts';
import { NewCampaignForm } from './NewCampaignForm.tsx';
import { finishedOf, purposeLabel, STATUS_TONE, type Campaign, type CampaignWithStats } from './types.ts';
import './campaigns.css';

/** Rows shown at first; each costs one statistics request (the list has none). */
const PAGE = 20;

/** The agent's campaigns, newest first, and the form to create one. */
export function CampaignList() {
  const list = useApi<Campaign[]>('/api/campaigns');
  const [shown, setShown] = useState(PAGE);
  const campaigns = list.data ?? [];
  return (
    <Page title="Campaigns">
      <Panel title="Your campaigns">
        <ErrorNote error={list.error} />
        {list.loading && !list.data ? (
          <Loading what="Loading campaigns" />
        ) : campaigns.length === 0 && !list.error ? (
          <Empty>No campaigns yet: create one below.</Empty>
        ) : campaigns.length ? (
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
                      <ProgressCell id={c.id} />
                    </td>
                    <td>{dateTime(c.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {campaigns.length > shown ? (
          <div className="row">
            <button type="button" onClick={() => setShown((n) => n + PAGE)}>
              Show more campaigns ({count(campaigns.length - shown)} more)
            </button>
          </div>
        ) : null}
      </Panel>
      <Panel title="New campaign">
        <NewCampaignForm />
      </Panel>
    </Page>
  );
}

/** "3 / 10": targets finished of all enrolled (from the campaign's statistics). */
function ProgressCell({ id }: { id: number }) {
  const { data, error } = useApi<CampaignWithStats>(`/api/campaigns/${id}`);
  if (error) return <span className="muted">—</span>;
  if (!data) return <span className="muted">…</span>;
  const { targets, byStatus } = data.stats;
  return (
    <span>
      {count(finishedOf(byStatus))} / {count(targets)}
      <span className="sr-only"> targets finished</span>
    </span>
  );
}
