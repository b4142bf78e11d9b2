/** Pieces the call pages share: the transcript, the badges, the live-stream status and a ticking clock. */
import { useEffect, useRef, useState } from 'react';
import { Badge } from '../../components/ui.tsx';
import { label, time } from '../../format.ts';
import { outcomeTone, statusTone, type Line } from './model.ts';
import './calls.css';

const WHO: Record<Line['role'], string> = { caller: 'Caller', agent: 'Agent', tool: 'Tool' };

/** A call's transcript, tool calls inline; `showState` adds the machine state each turn happened in. */
export function Transcript({
  lines,
  showState = false,
  label: name = 'Transcript',
  follow = false,
  announce = false,
}: {
  lines: Line[];
  showState?: boolean;
  label?: string;
  /** Keeps a scrolling transcript at its newest line. */
  follow?: boolean;
  /** Read new lines out to screen-reader users (one live transcript at a time, or several would talk at once). */
  announce?: boolean;
}) {
  const ref = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (follow && ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [follow, lines.length]);
  return (
    <ol className="transcript" aria-live={announce ? 'polite' : 'off'} aria-label={name} ref={ref}>
      {lines.map((l, i) => (
        <li key={i} className={l.role}>
          <span className="who-said">
            {l.tool ? `Tool: ${l.tool.name}` : WHO[l.role]}
            {l.tool && l.tool.ok !== null ? (
              <>
                {' '}
                <Badge tone={l.tool.ok ? 'good' : 'bad'}>{l.tool.ok ? 'ok' : 'failed'}</Badge>
              </>
            ) : null}
            <span className="turn-meta">
              {' '}
              · <time dateTime={l.at}>{time(l.at)}</time>
              {showState && l.state ? ` · in ${l.state}` : null}
            </span>
          </span>
          {l.tool ? <ToolArguments args={l.tool.arguments} /> : null}
          {l.text}
          {l.interrupted ? <em className="muted"> (cut off by the caller)</em> : null}
        </li>
      ))}
    </ol>
  );
}

function ToolArguments({ args }: { args: Record<string, unknown> }) {
  const entries = Object.entries(args);
  if (!entries.length) return <span className="muted tool-args">no arguments</span>;
  return (
    <dl className="tool-args" aria-label="Arguments">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{label(status)}</Badge>;
}

export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  return outcome ? <Badge tone={outcomeTone(outcome)}>{label(outcome)}</Badge> : <span className="muted">—</span>;
}

/** "Live updates on", or "Reconnecting…" once the stream dropped (the browser reconnects by itself). */
export function StreamStatus({ open }: { open: boolean }) {
  const [wasOpen, setWasOpen] = useState(false);
  useEffect(() => {
    if (open) setWasOpen(true);
  }, [open]);
  return (
    <p role="status" className={`stream-status ${open ? 'on' : 'off'}`}>
      {open ? 'Live updates on' : wasOpen ? 'Reconnecting…' : 'Connecting to live updates…'}
    </p>
  );
}

/** Calls `fn` when the stream comes back after a drop (events were missed meanwhile). */
export function useOnReconnect(open: boolean, fn: () => void): void {
  const prev = useRef<boolean | null>(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (open && prev.current === false) latest.current();
    if (open || prev.current !== null) prev.current = open;
  }, [open]);
}

/** The current time, every `ms` while mounted (durations that tick). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
