import { useEffect, useRef, useState } from 'react';
import { post } from '../../api.ts';
import { ErrorNote } from '../../components/ui.tsx';
import type { Campaign, CampaignStatus } from './types.ts';

type Command = 'start' | 'pause' | 'resume' | 'cancel';

/** The moves of the campaign machine (state-machines/campaign.machine.ts) from each status. */
const MOVES: Record<CampaignStatus, Command[]> = {
  draft: ['start', 'cancel'],
  active: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
};

const TEXT: Record<Command, string> = {
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel campaign',
};

/** Start, pause, resume and cancel (after a confirmation), each a POST; then the page reloads. */
export function CampaignActions({ campaign, onChanged }: { campaign: Campaign; onChanged: () => void }) {
  const [busy, setBusy] = useState<Command | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const moves = MOVES[campaign.status] ?? [];
  // The pressed button goes away (Start becomes Pause, the confirmation closes): keyboard focus moves to the
  // first of the buttons now offered instead of falling back to the page.
  const row = useRef<HTMLDivElement>(null);
  const acted = useRef(false);
  useEffect(() => {
    if (!acted.current || confirming) return;
    acted.current = false;
    row.current?.querySelector('button')?.focus();
  }, [campaign.status, confirming]);

  const run = async (command: Command) => {
    setBusy(command);
    setError(null);
    try {
      await post<Campaign>(`/api/campaigns/${campaign.id}/${command}`);
    } catch (err) {
      setError(err);
    } finally {
      acted.current = true;
      setBusy(null);
      setConfirming(false);
      onChanged();
    }
  };

  if (!moves.length) return null;
  return (
    <div className="campaign-actions">
      {confirming ? (
        <div role="group" aria-label="Confirm cancelling" className="row">
          <span>Targets not yet in a call are cancelled; this cannot be undone.</span>
          <button type="button" className="danger" disabled={busy !== null} onClick={() => run('cancel')}>
            Yes, cancel the campaign
          </button>
          <button
            type="button"
            onClick={() => {
              acted.current = true;
              setConfirming(false);
            }}
            autoFocus
          >
            Keep it
          </button>
        </div>
      ) : (
        <div className="row" ref={row}>
          {moves.map((m) => (
            <button
              key={m}
              type="button"
              className={m === 'cancel' ? 'danger' : 'primary'}
              disabled={busy !== null}
              onClick={() => (m === 'cancel' ? setConfirming(true) : run(m))}
            >
              {busy === m ? `${TEXT[m]}…` : TEXT[m]}
            </button>
          ))}
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
