import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { useApi } from '../../api.ts';
import { Badge, ErrorNote, Facts, Loading, Page, Panel } from '../../components/ui.tsx';
import { count, dateTime, label, phone } from '../../format.ts';
import { CampaignActions } from './CampaignActions.tsx';
import { CampaignAudit } from './CampaignAudit.tsx';
import { CampaignProgress } from './CampaignProgress.tsx';
import { CampaignTargets } from './CampaignTargets.tsx';
import { EnrolForm } from './EnrolForm.tsx';
import { purposeLabel, STATUS_TONE, type Campaign, type CampaignWithStats } from './types.ts';
import './campaigns.css';

/** How often a running campaign is fetched again (after the previous answer). */
export const POLL_MS = 2_000;

/** One campaign: its commands, enrolment, live progress, targets and compliance audit. */
export function CampaignDetail({ id }: { id: number }) {
  const campaign = useApi<CampaignWithStats>(`/api/campaigns/${id}`);
  const [version, setVersion] = useState(0);
  const { reload, loading, data } = campaign;
  const refresh = useCallback(() => {
    reload();
    setVersion((v) => v + 1);
  }, [reload]);

  // While it runs: fetch again 2 s after each answer (a slow server is never asked twice at once).
  const running = data?.status === 'active';
  useEffect(() => {
    if (!running || loading) return;
    const timer = setTimeout(refresh, POLL_MS);
    return () => clearTimeout(timer);
  }, [running, loading, refresh]);

  if (!data) {
    return (
      <Page title="Campaign">
        <ErrorNote error={campaign.error} />
        {campaign.error ? <Link href="/campaigns">Back to campaigns</Link> : <Loading what="Loading the campaign" />}
      </Page>
    );
  }
  const open = data.status === 'draft' || data.status === 'active' || data.status === 'paused';
  return (
    <Page title={data.name} actions={<CampaignActions campaign={data} onChanged={refresh} />}>
      <p className="campaign-status">
        <Link href="/campaigns">All campaigns</Link> · Status{' '}
        <Badge tone={STATUS_TONE[data.status]}>{label(data.status)}</Badge>
      </p>
      {campaign.error ? <ErrorNote error={campaign.error} /> : null}
      <CampaignProgress stats={data.stats} live={running} />
      <div className="grid">
        {open ? (
          <Panel title="Enrol targets">
            <EnrolForm campaign={data} onEnrolled={refresh} />
          </Panel>
        ) : null}
        <Settings campaign={data} />
      </div>
      <CampaignTargets id={id} refresh={version} />
      <CampaignAudit id={id} refresh={version} />
    </Page>
  );
}

function Settings({ campaign: c }: { campaign: Campaign }) {
  const property = useApi<{ address: string; city: string }>(c.property_id ? `/api/properties/${c.property_id}` : null);
  const rows: [string, ReactNode][] = [
    ['Purpose', purposeLabel(c.purpose)],
    ['Playbook', <code key="p">{c.playbook}</code>],
    [
      'Property',
      c.property_id ? (
        <Link href={`/properties/${c.property_id}`}>
          {property.data ? `${property.data.address}, ${property.data.city}` : `Property ${c.property_id}`}
        </Link>
      ) : (
        'None'
      ),
    ],
    ['Contact roles', c.contact_roles.length ? c.contact_roles.map(label).join(', ') : 'Every role'],
    ['Caller ID', phone(c.caller_id)],
    ['Calling hours', `${c.window_start}–${c.window_end} (recipient’s time)`],
    ['Pace', `${count(c.calls_per_minute)} calls a minute, ${count(c.max_concurrent)} at once`],
    ['Attempts', `Up to ${count(c.max_attempts)}, ${count(c.retry_delay_minutes)} minutes apart`],
    ['Telemarketing', c.telemarketing ? 'Yes (written consent needed)' : 'No (informational)'],
    ['Created', dateTime(c.created_at)],
    ['Started', dateTime(c.started_at)],
    ['Finished', dateTime(c.completed_at)],
  ];
  return (
    <Panel title="Settings">
      <Facts items={rows} layout="rows" />
    </Panel>
  );
}
