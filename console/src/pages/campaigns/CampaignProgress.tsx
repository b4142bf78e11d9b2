import { useId } from 'react';
import { BarChart, type Bar } from '../../components/charts.tsx';
import { Badge, Empty, Panel, type Tone } from '../../components/ui.tsx';
import { count, label, percent } from '../../format.ts';
import {
  finishedOf,
  MAIN_TARGET_STATUSES,
  TARGET_STATUS_WORDS,
  useCampaignOptions,
  type Abandonment,
  type CampaignStats,
} from './types.ts';

const OUTCOME_TONE: Record<string, string> = {
  interested: 'good',
  call_back: 'good',
  voicemail_left: '',
  not_interested: 'warn',
  wrong_number: 'warn',
  do_not_call: 'bad',
  blocked_by_rule: 'bad',
  failed: 'bad',
};

/** Every status the server reports, the main ones even at zero, in the order a target moves through them. */
export function statusCounts(byStatus: Record<string, number>): { key: string; word: string; n: number }[] {
  const known = Object.keys(TARGET_STATUS_WORDS);
  const keys = [...new Set([...MAIN_TARGET_STATUSES, ...Object.keys(byStatus)])].sort(
    (a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99),
  );
  return keys.map((key) => ({ key, word: TARGET_STATUS_WORDS[key] ?? label(key), n: byStatus[key] ?? 0 }));
}

/** Targets by status, the progress bar, the outcomes and the abandonment meter. */
export function CampaignProgress({ stats, live }: { stats: CampaignStats; live: boolean }) {
  const progressId = useId();
  const finished = finishedOf(stats.byStatus);
  const outcomes: Bar[] = Object.entries(stats.byOutcome)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => ({ label: label(code), value: n, tone: OUTCOME_TONE[code] ?? '' }));
  return (
    <div className="grid">
      <Panel title="Progress">
        {live ? (
          <p className="muted campaign-live" role="status">
            Live: updates every 2 seconds.
          </p>
        ) : null}
        <div className="campaign-progress">
          <label htmlFor={progressId}>
            {count(finished)} of {count(stats.targets)} targets finished
          </label>
          <progress id={progressId} max={Math.max(1, stats.targets)} value={finished} />
        </div>
        <dl className="campaign-counts" aria-label="Targets by status">
          {statusCounts(stats.byStatus).map((s) => (
            <div key={s.key} className={`count count-${s.key}`}>
              <dt>{s.word}</dt>
              <dd>{count(s.n)}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">
          {count(stats.attempts)} dial attempts in all across {count(stats.targets)} enrolled numbers.
        </p>
      </Panel>
      <Panel title="Outcomes">
        {outcomes.length ? (
          <BarChart title="Call outcomes" bars={outcomes} />
        ) : (
          <Empty>No outcomes yet: they appear as calls end.</Empty>
        )}
      </Panel>
      <AbandonmentMeter meter={stats.abandonment} />
    </div>
  );
}

const THROTTLE: Record<Abandonment['throttle'], { tone: Tone; text: string }> = {
  none: { tone: 'good', text: 'Full pace' },
  slowed: { tone: 'warn', text: 'Slowed: half pace and concurrency' },
  stopped: { tone: 'bad', text: 'Stopped: no new dials until the rate falls' },
};

/**
 * The share of live-answered calls nobody greeted within 2 s, against the server's limit (TSR / FCC: 3 % over 30
 * days; pacing halves from 2 %).
 */
function AbandonmentMeter({ meter }: { meter: Abandonment }) {
  const id = useId();
  const limits = useCampaignOptions().data?.abandonment;
  const state = THROTTLE[meter.throttle] ?? THROTTLE.none;
  return (
    <Panel title="Abandonment" className={`abandonment abandonment-${state.tone}`}>
      <p className="abandonment-rate">
        <label htmlFor={id}>Abandonment rate</label> <strong>{percent(meter.rate)}</strong>{' '}
        {limits ? <span className="muted">of a {percent(limits.limit, 0)} limit</span> : null}
      </p>
      {limits ? (
        <meter
          id={id}
          min={0}
          max={limits.limit * 2}
          low={limits.slow_down_at}
          high={limits.limit}
          optimum={0}
          value={meter.rate}
        >
          {percent(meter.rate)}
        </meter>
      ) : null}
      <p>
        {count(meter.abandoned)} abandoned of {count(meter.live_answered)} calls answered by a person
        {limits ? ` in the last ${limits.window_days} days` : ''}. <Badge tone={state.tone}>{state.text}</Badge>
      </p>
    </Panel>
  );
}
