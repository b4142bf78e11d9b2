import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { label } from '../format.ts';
import { callPath } from './calls/model.ts';
import { Page, Panel } from '../components/ui.tsx';

type Mode = 'receptionist' | 'voice-commands';
type Line = { role: 'caller' | 'agent' | 'system'; text: string };
type Status = 'idle' | 'connecting' | 'live' | 'ended';

const MODES: [Mode, string][] = [
  ['receptionist', 'The receptionist (as a buyer calling your number)'],
  ['voice-commands', 'My voice commands (as you, signed in)'],
];

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** The WebSocket of a test call (same origin; the session cookie authenticates it). */
export function testCallUrl(mode: Mode, loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/api/test-call${mode === 'voice-commands' ? '?as=voice-commands' : ''}`;
}

/**
 * A call as text through the same runtime as a phone call: the receptionist a buyer would reach, or the
 * signed-in realtor's voice commands (no PIN: the console session is the authentication; changes are still
 * read back and wait for a yes). The call is recorded and shows in Live calls and Call review.
 */
export function TestCall() {
  const [mode, setMode] = useState<Mode>('receptionist');
  const [status, setStatus] = useState<Status>('idle');
  const [lines, setLines] = useState<Line[]>([]);
  const [callSid, setCallSid] = useState<string | null>(null);
  const [text, setText] = useState('');
  const socket = useRef<WebSocket | null>(null);
  const agentOpen = useRef(false);
  const [streaming, setStreaming] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const logRef = useRef<HTMLOListElement>(null);

  useEffect(
    () => () => {
      socket.current?.close();
      socket.current = null;
    },
    [],
  );
  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
  }, [lines]);

  const add = (line: Line) => setLines((ls) => [...ls, line]);

  const start = () => {
    setLines([]);
    setCallSid(null);
    setStatus('connecting');
    agentOpen.current = false;
    const ws = new WebSocket(testCallUrl(mode));
    socket.current = ws;
    // Only the current call's socket speaks: a late close or error of an earlier call changes nothing.
    const mine = () => socket.current === ws;
    ws.onopen = () => {
      if (!mine()) return;
      setStatus('live');
      inputRef.current?.focus();
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      if (!mine()) return;
      let msg: { type: string; text?: string; last?: boolean; call_sid?: string; reason?: string; message?: string };
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.type === 'call' && msg.call_sid) setCallSid(msg.call_sid);
      else if (msg.type === 'text' && msg.text !== undefined) {
        const chunk = msg.text;
        // The reply streams in phrases; they join one agent turn until `last`.
        setLines((ls) => {
          const prev = ls.at(-1);
          if (agentOpen.current && prev?.role === 'agent')
            return [...ls.slice(0, -1), { role: 'agent', text: `${prev.text} ${chunk}`.trim() }];
          return chunk.trim() ? [...ls, { role: 'agent', text: chunk.trim() }] : ls;
        });
        agentOpen.current = !msg.last;
        setStreaming(!msg.last);
      } else if (msg.type === 'end') {
        setStreaming(false);
        add({ role: 'system', text: `Call ended: ${label(msg.reason)}` });
        setStatus('ended');
      } else if (msg.type === 'error' && msg.message) add({ role: 'system', text: `Error: ${msg.message}` });
    };
    ws.onclose = () => mine() && setStatus('ended');
    ws.onerror = () => mine() && add({ role: 'system', text: 'The connection failed.' });
  };

  const send = (message: Record<string, string>) => {
    if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify(message));
  };

  const say = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    agentOpen.current = false;
    add({ role: 'caller', text: t });
    send({ type: 'say', text: t });
    setText('');
  };

  const press = (digit: string) => {
    agentOpen.current = false;
    add({ role: 'caller', text: `[pressed ${digit}]` });
    send({ type: 'dtmf', digit });
  };

  /** Like putting the phone down: the call ends (recorded as the caller hanging up) and the line closes. */
  const hangUp = () => {
    send({ type: 'hangup' });
    socket.current?.close(1000, 'hung up');
    add({ role: 'system', text: 'You hung up.' });
  };

  const live = status === 'live';
  return (
    <Page title="Test call">
      <Panel title="Who to call">
        <fieldset className="row" disabled={live || status === 'connecting'}>
          <legend className="sr-only">Who to call</legend>
          {MODES.map(([value, text]) => (
            <label key={value}>
              <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />{' '}
              {text}
            </label>
          ))}
        </fieldset>
        <div className="row">
          {live ? (
            <button type="button" className="danger" onClick={hangUp}>
              Hang up
            </button>
          ) : (
            <button type="button" className="primary" onClick={start} disabled={status === 'connecting'}>
              {status === 'ended' ? 'Call again' : 'Start call'}
            </button>
          )}
          <span role="status" className="muted">
            {status === 'connecting'
              ? 'Connecting…'
              : live
                ? 'On the call'
                : status === 'ended'
                  ? 'Call ended'
                  : 'Not on a call'}
          </span>
          {callSid ? <Link href={callPath(callSid)}>Review this call</Link> : null}
        </div>
      </Panel>
      <Panel title="Conversation">
        {/* A log is read out as lines are added; busy while a reply streams in, so it is read once complete. */}
        <ol className="transcript" role="log" aria-busy={streaming} aria-label="Conversation" ref={logRef}>
          {lines.map((l, i) => (
            <li key={i} className={l.role === 'system' ? 'tool' : l.role}>
              <span className="who-said">{l.role === 'agent' ? 'Agent' : l.role === 'caller' ? 'You' : 'Call'}</span>
              {l.text}
            </li>
          ))}
        </ol>
        <form onSubmit={say} className="row" style={{ marginTop: '0.8rem' }}>
          <div className="field" style={{ flex: 1 }}>
            <label htmlFor="say">What you say</label>
            <input
              id="say"
              ref={inputRef}
              value={text}
              onChange={(e) => setText(e.target.value)}
              disabled={!live}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <button type="submit" disabled={!live || !text.trim()}>
              Say
            </button>
          </div>
        </form>
        <div role="group" aria-label="Keypad" className="keypad">
          {KEYS.map((k) => (
            <button key={k} type="button" disabled={!live} onClick={() => press(k)} aria-label={`Press ${k}`}>
              {k}
            </button>
          ))}
        </div>
      </Panel>
    </Page>
  );
}
