import type { SqlEntityManager } from '@mikro-orm/sql';

/**
 * The abandonment meter of a campaign (TSR 310.4(b)(4), 47 CFR 64.1200(a)(7); telephony.md A5): of the calls a
 * person answered in the last 30 days, the share that did not hear the agent within 2 s of answering. Answering
 * machines do not count. Pacing slows down before the 3 % limit and stops new dials at it.
 */

export const ABANDONMENT_WINDOW_DAYS = 30;
export const ABANDONMENT_LIMIT = 0.03;
/** From this rate on, the campaign dials at half its pace and concurrency. */
export const ABANDONMENT_SLOW_AT = 0.02;
export const GREETING_DEADLINE_MS = 2_000;

export interface AbandonmentMeter {
  live_answered: number;
  abandoned: number;
  rate: number;
  /** none: full pace; slowed: half pace and concurrency; stopped: no new dials until the rate falls. */
  throttle: 'none' | 'slowed' | 'stopped';
}

export async function abandonmentOf(em: SqlEntityManager, campaignId: number, now: Date): Promise<AbandonmentMeter> {
  const since = new Date(now.getTime() - ABANDONMENT_WINDOW_DAYS * 86_400_000);
  // A call answered less than 2 s ago with no greeting yet is not abandoned (yet).
  const settled = new Date(now.getTime() - GREETING_DEADLINE_MS);
  const [row] = await em.execute<{ live: string | number; abandoned: string | number }[]>(
    `select count(*) as live,
            count(*) filter (where (greeted_at is null and connected_at < ?)
                                or greeted_at > connected_at + interval '${GREETING_DEADLINE_MS} milliseconds') as abandoned
       from call_attempts
      where campaign_id = ? and connected_at >= ? and connected_at <= ?
        and (answered_by is null or (answered_by not like 'machine%' and answered_by <> 'fax'))`,
    [settled, campaignId, since, now],
  );
  const live = Number(row?.live ?? 0);
  const abandoned = Number(row?.abandoned ?? 0);
  const rate = live ? abandoned / live : 0;
  return {
    live_answered: live,
    abandoned,
    rate,
    throttle: rate >= ABANDONMENT_LIMIT ? 'stopped' : rate >= ABANDONMENT_SLOW_AT ? 'slowed' : 'none',
  };
}

/** The pace (calls per minute, concurrent calls) the meter allows a campaign. */
export function paceFor(
  meter: Pick<AbandonmentMeter, 'throttle'>,
  pace: { callsPerMinute: number; maxConcurrent: number },
): { callsPerMinute: number; maxConcurrent: number } {
  if (meter.throttle === 'stopped') return { callsPerMinute: 0, maxConcurrent: 0 };
  if (meter.throttle === 'slowed')
    return {
      callsPerMinute: Math.max(1, Math.floor(pace.callsPerMinute / 2)),
      maxConcurrent: Math.max(1, Math.floor(pace.maxConcurrent / 2)),
    };
  return pace;
}
