import { useCallback, useRef, useState } from 'react';
import { post } from '../../api.ts';
import { count, label } from '../../format.ts';
import { Badge, ErrorNote, type Tone } from '../../components/ui.tsx';
import type { Health, Priority } from './types.ts';
import './pipeline.css';

const HEALTH_TONE: Record<Health, Tone> = { healthy: 'good', stale: 'warn', blocked: 'bad' };
const PRIORITY_TONE: Record<Priority, Tone> = { urgent: 'bad', high: 'warn', medium: 'info', low: 'neutral' };

/** A heartbeat's health as colour and text ("Health: Stale"; the "Health:" is for screen readers). */
export function HealthBadge({ health }: { health: Health | undefined }) {
  return (
    <Badge tone={health ? HEALTH_TONE[health] : 'neutral'}>
      <span className="sr-only">Health: </span>
      {health ? label(health) : 'Unknown'}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: string }) {
  return <Badge tone={PRIORITY_TONE[priority as Priority] ?? 'neutral'}>{label(priority)}</Badge>;
}

/** 1 → "1 day", 8.5 → "8.5 days". */
export const days = (n: number): string => `${count(n)} ${n === 1 ? 'day' : 'days'}`;

/**
 * POSTs an action, then calls `onDone` (a reload) and announces `done` in the status line, which takes the
 * focus (the acted-on item may disappear with the reload). One action at a time: `busy` names the running one.
 */
export function useAction(onDone: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const running = useRef(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const run = useCallback(
    async (key: string, path: string, body: unknown, done: string) => {
      if (running.current) return;
      running.current = true;
      setBusy(key);
      setError(null);
      setMessage('');
      try {
        await post(path, body);
        setMessage(done);
        statusRef.current?.focus();
        onDone();
      } catch (e) {
        setError(e);
      } finally {
        running.current = false;
        setBusy(null);
      }
    },
    [onDone],
  );
  return { busy, error, message, run, statusRef };
}

/** The outcome of the last action: announced politely, errors as alerts. */
export function ActionStatus({ action }: { action: ReturnType<typeof useAction> }) {
  return (
    <>
      <p role="status" className="muted action-status" tabIndex={-1} ref={action.statusRef}>
        {action.message}
      </p>
      <ErrorNote error={action.error} />
    </>
  );
}
