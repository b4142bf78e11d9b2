import { describe, expect, it } from 'vitest';
import { checkDial, type DialCheckInput, type PriorAttempt } from '../../../src/domain/dialing/index.ts';

const check = (to: string, at: string, extra: Partial<DialCheckInput> = {}) => checkDial({ to, at, ...extra });
const allowed = (to: string, at: string, extra: Partial<DialCheckInput> = {}): boolean => check(to, at, extra).allowed;
const failing = (to: string, at: string, extra: Partial<DialCheckInput> = {}): string[] =>
  check(to, at, extra)
    .rules.filter((r) => !r.ok)
    .map((r) => r.rule);

describe('checkDial: exact window boundaries in multi-zone area codes', () => {
  it('928 AZ in summer: Phoenix (no DST) opens the window, Navajo Denver (DST) closes it', () => {
    const to = '+19285550123';
    expect(check(to, '2026-07-15T15:00:00Z').zones).toEqual(['America/Denver', 'America/Phoenix']);
    expect(failing(to, '2026-07-15T07:59:59-07:00')).toEqual(['federal.window']); // Phoenix 07:59:59
    expect(allowed(to, '2026-07-15T08:00:00-07:00')).toBe(true); // Phoenix 08:00:00
    expect(allowed(to, '2026-07-15T20:59:59-06:00')).toBe(true); // Denver 20:59:59
    expect(failing(to, '2026-07-15T21:00:00-06:00')).toEqual(['federal.window']); // Denver 21:00:00
    expect(allowed(to, '2026-07-16T02:59:59Z')).toBe(true);
    expect(allowed(to, '2026-07-16T03:00:00Z')).toBe(false);
  });

  it('928 AZ in winter: both zones are UTC-7, the window closes at 04:00Z', () => {
    const to = '+19285550123';
    expect(allowed(to, '2026-01-15T03:59:59Z')).toBe(true);
    expect(allowed(to, '2026-01-15T04:00:00Z')).toBe(false);
    expect(allowed(to, '2026-01-14T14:59:59Z')).toBe(false);
    expect(allowed(to, '2026-01-14T15:00:00Z')).toBe(true);
  });

  it('928 across the DST change: the same UTC instant is refused before it and allowed after it', () => {
    const to = '+19285550123';
    expect(failing(to, '2026-11-01T03:00:00Z')).toEqual(['federal.window']); // Denver Sat 21:00 MDT
    expect(allowed(to, '2026-11-02T03:00:00Z')).toBe(true); // Denver Sun 20:00 MST
    expect(allowed(to, '2026-03-08T03:59:59Z')).toBe(true); // Sat 20:59:59 MST, DST not yet started
    expect(allowed(to, '2026-03-09T02:59:59Z')).toBe(true); // Sun 20:59:59 MDT
    expect(allowed(to, '2026-03-09T03:00:00Z')).toBe(false); // Sun 21:00:00 MDT
  });

  it('605 SD (Central, Mountain, North Dakota): 07:59:59 and 21:00:00 refused, 08:00:00 and 20:59:59 allowed', () => {
    const to = '+16055550123';
    expect(allowed(to, '2026-01-14T07:59:59-07:00')).toBe(false); // Denver 07:59:59
    expect(allowed(to, '2026-01-14T08:00:00-07:00')).toBe(true);
    expect(allowed(to, '2026-01-14T20:59:59-06:00')).toBe(true); // Chicago 20:59:59
    expect(allowed(to, '2026-01-14T21:00:00-06:00')).toBe(false);
  });

  it('850 FL (Chicago and New York): the FL 08:00–20:00 window in both zones', () => {
    const to = '+18505550123';
    expect(check(to, '2026-01-14T14:00:00Z').zones).toEqual(['America/Chicago', 'America/New_York']);
    expect(failing(to, '2026-01-14T07:59:59-06:00')).toEqual(['federal.window', 'FL.window']);
    expect(allowed(to, '2026-01-14T08:00:00-06:00')).toBe(true);
    expect(allowed(to, '2026-01-14T19:59:59-05:00')).toBe(true);
    expect(failing(to, '2026-01-14T20:00:00-05:00')).toEqual(['FL.window']); // federal is fine at 20:00
    expect(failing(to, '2026-01-14T21:00:00-05:00')).toEqual(['federal.window', 'FL.window']);
  });

  it('270 KY (Chicago and New York): KY 10:00–21:00 opens in Chicago, the 21:00 close is federal and KY', () => {
    const to = '+12705550123';
    expect(failing(to, '2026-01-14T09:59:59-06:00')).toEqual(['KY.window']);
    expect(allowed(to, '2026-01-14T10:00:00-06:00')).toBe(true);
    expect(allowed(to, '2026-01-14T20:59:59-05:00')).toBe(true);
    expect(failing(to, '2026-01-14T21:00:00-05:00')).toEqual(['federal.window', 'KY.window']);
  });

  it('lists every evaluated rule with its outcome; allowed is their AND', () => {
    const r = check('+18505550123', '2026-01-14T20:00:00-05:00');
    expect(r.rules.map((x) => [x.rule, x.ok])).toEqual([
      ['number', true],
      ['zones', true],
      ['federal.window', true],
      ['FL.window', false],
      ['FL.cap.24h', true],
    ]);
    expect(r.allowed).toBe(false);
    expect(r.rulesVersion).toBe('us-2026-12');
    expect(r.rules.find((x) => x.rule === 'FL.window')!.detail).toContain(
      'America/New_York Wed 2026-01-14 20:00:00 OUT',
    );
  });
});

describe('checkDial: state rules', () => {
  it('CT 09:00–20:00', () => {
    expect(failing('+12035550123', '2026-01-14T08:59:59-05:00')).toEqual(['CT.window']);
    expect(allowed('+12035550123', '2026-01-14T09:00:00-05:00')).toBe(true);
    expect(allowed('+12035550123', '2026-01-14T19:59:59-05:00')).toBe(true);
    expect(failing('+12035550123', '2026-01-14T20:00:00-05:00')).toEqual(['CT.window']);
  });

  it('MI, MN, NM 09:00–21:00; NV 09:00–20:00; MA, OK, MD 08:00–20:00', () => {
    expect(failing('+13135550123', '2026-01-14T08:30:00-05:00')).toEqual(['MI.window']);
    expect(failing('+16125550123', '2026-01-14T08:30:00-06:00')).toEqual(['MN.window']);
    expect(failing('+15055550123', '2026-01-14T08:30:00-07:00')).toEqual(['NM.window']);
    expect(failing('+17025550123', '2026-01-14T20:30:00-08:00')).toEqual(['NV.window']);
    expect(failing('+16175550123', '2026-01-14T20:30:00-05:00')).toEqual(['MA.window']);
    expect(failing('+14055550123', '2026-01-14T20:30:00-06:00')).toEqual(['OK.window']);
    expect(failing('+14105550123', '2026-01-14T20:30:00-05:00')).toEqual(['MD.window']);
    expect(allowed('+14105550123', '2026-01-14T19:30:00-05:00')).toBe(true);
  });

  it('TX (unverified): 09:00–21:00, Sundays from 12:00', () => {
    const to = '+15125550123';
    expect(failing(to, '2026-10-31T08:59:59-05:00')).toEqual(['TX.window']); // Saturday
    expect(allowed(to, '2026-10-31T09:00:00-05:00')).toBe(true);
    expect(failing(to, '2026-11-01T11:59:59-06:00')).toEqual(['TX.window']); // Sunday
    expect(allowed(to, '2026-11-01T12:00:00-06:00')).toBe(true);
    expect(check(to, '2026-11-01T11:00:00-06:00').rules.find((r) => r.rule === 'TX.window')!.detail).toMatch(
      /\[unverified\].*OUT \(window 12:00–21:00\)/,
    );
  });

  it('AL and LA: no Sundays, no state public holidays; MS: no Sundays only', () => {
    expect(failing('+12055550123', '2026-11-01T12:00:00-06:00')).toEqual(['AL.sunday']);
    expect(allowed('+12055550123', '2026-11-02T12:00:00-06:00')).toBe(true);
    expect(failing('+12055550123', '2026-04-27T12:00:00-05:00')).toEqual(['AL.holiday']); // Confederate Memorial Day
    expect(allowed('+12055550123', '2026-02-17T12:00:00-06:00')).toBe(true); // Mardi Gras is not an AL state holiday
    expect(failing('+15045550123', '2026-02-17T12:00:00-06:00')).toEqual(['LA.holiday']); // Mardi Gras
    expect(failing('+15045550123', '2026-11-03T12:00:00-06:00')).toEqual(['LA.holiday']); // Election Day
    expect(failing('+15045550123', '2026-07-03T12:00:00-05:00')).toEqual(['LA.holiday']); // July 4th observed
    expect(failing('+15045550123', '2026-11-01T12:00:00-06:00')).toEqual(['LA.sunday']);
    expect(failing('+16015550123', '2026-11-01T12:00:00-06:00')).toEqual(['MS.sunday']);
    expect(allowed('+16015550123', '2026-04-27T12:00:00-05:00')).toBe(true); // a MS holiday, but no MS holiday ban
    expect(check('+16015550123', '2026-04-27T12:00:00-05:00').rules.map((r) => r.rule)).not.toContain('MS.holiday');
  });

  it('a Sunday in any candidate zone counts (AL rules for a New York number via --state)', () => {
    // 23:30 Saturday in Chicago is 00:30 Sunday in New York — but federal refuses that hour anyway, so check
    // the Sunday rule alone.
    const r = check('+12125550123', '2026-11-01T04:30:00Z', { state: 'AL' });
    expect(r.zones).toEqual(['America/Chicago', 'America/New_York']);
    expect(r.rules.find((x) => x.rule === 'AL.sunday')).toMatchObject({ ok: false });
  });
});

describe('checkDial: frequency caps from prior attempts', () => {
  const to = '+13055550123'; // Miami, FL: ≤3 calls per 24 h on the same subject
  const at = '2026-01-14T15:00:00Z';
  const ago = (ms: number, subject?: string, autodialed?: boolean): PriorAttempt => ({
    at: new Date(Date.parse(at) - ms),
    subject,
    autodialed,
  });
  const H = 3_600_000;

  it('FL: three earlier calls on the same subject in 24 h refuse the fourth', () => {
    const three = [ago(1 * H, 'listing-1'), ago(5 * H, 'listing-1'), ago(23 * H, 'listing-1')];
    expect(failing(to, at, { priorAttempts: three, subject: 'listing-1' })).toEqual(['FL.cap.24h']);
    expect(allowed(to, at, { priorAttempts: three.slice(0, 2), subject: 'listing-1' })).toBe(true);
    expect(allowed(to, at, { priorAttempts: three, subject: 'listing-2' })).toBe(true);
  });

  it('FL: the rolling window includes an attempt exactly 24 h earlier, not one 24 h and 1 s earlier', () => {
    const two = [ago(1 * H, 's'), ago(2 * H, 's')];
    expect(allowed(to, at, { priorAttempts: [...two, ago(24 * H, 's')], subject: 's' })).toBe(false);
    expect(allowed(to, at, { priorAttempts: [...two, ago(24 * H + 1000, 's')], subject: 's' })).toBe(true);
  });

  it('FL: an unknown subject counts as the same subject', () => {
    const mixed = [ago(1 * H, 'a'), ago(2 * H, 'b'), ago(3 * H)];
    expect(allowed(to, at, { priorAttempts: mixed })).toBe(false); // check without a subject: all count
    expect(allowed(to, at, { priorAttempts: mixed, subject: 'a' })).toBe(true); // a + unknown = 2
    expect(allowed(to, at, { priorAttempts: [...mixed, ago(4 * H)], subject: 'a' })).toBe(false);
  });

  it('ME: ≤1 autodialled call per 8 h', () => {
    const me = '+12075550123';
    const at2 = '2026-01-14T16:00:00Z'; // 11:00 EST
    const before = (ms: number, autodialed?: boolean): PriorAttempt => ({
      at: new Date(Date.parse(at2) - ms),
      autodialed,
    });
    expect(failing(me, at2, { priorAttempts: [before(8 * H)] })).toEqual(['ME.cap.8h']);
    expect(allowed(me, at2, { priorAttempts: [before(8 * H + 1000)] })).toBe(true);
    expect(allowed(me, at2, { priorAttempts: [before(1 * H, false)] })).toBe(true); // dialled by hand
    expect(allowed(me, at2, { priorAttempts: [before(1 * H)], autodialed: false })).toBe(true);
  });

  it('attempts after the checked instant do not count; an attempt without a valid time refuses', () => {
    expect(allowed(to, at, { priorAttempts: [ago(-1 * H), ago(-2 * H), ago(-3 * H)] })).toBe(true);
    expect(failing(to, at, { priorAttempts: [{ at: 'not a time' }] })).toEqual(['FL.cap.24h']);
  });

  it('states without caps list no cap rule', () => {
    expect(check('+12125550123', at, { priorAttempts: [ago(H), ago(H), ago(H), ago(H)] }).allowed).toBe(true);
  });
});

describe('checkDial: ZIP and state of the contact', () => {
  it('a ZIP in another zone adds that zone (New York number, Beverly Hills ZIP)', () => {
    const at = '2026-07-15T13:00:00Z'; // 09:00 in New York, 06:00 in Los Angeles
    expect(allowed('+12125550123', at)).toBe(true);
    const r = check('+12125550123', at, { zip: '90210' });
    expect(r.zones).toEqual(['America/Los_Angeles', 'America/New_York']);
    expect(r.allowed).toBe(false);
    expect(r.rules.find((x) => x.rule === 'zip')).toMatchObject({ ok: true });
    expect(r.rules.find((x) => x.rule === 'federal.window')!.detail).toContain(
      'America/Los_Angeles Wed 2026-07-15 06:00:00 OUT',
    );
  });

  it('a Pensacola ZIP adds Central time to a Miami number; a ZIP+4 works too', () => {
    const at = '2026-01-14T08:30:00-05:00'; // 07:30 in Chicago
    expect(allowed('+13055550123', at)).toBe(true);
    expect(check('+13055550123', at, { zip: '32501' }).zones).toEqual(['America/Chicago', 'America/New_York']);
    expect(failing('+13055550123', at, { zip: '32501-1234' })).toEqual(['federal.window', 'FL.window']);
  });

  it("a ZIP brings its state's rules (a New York number with a Miami ZIP gets FL 08:00–20:00)", () => {
    const at = '2026-01-14T20:30:00-05:00';
    expect(allowed('+12125550123', at)).toBe(true);
    expect(failing('+12125550123', at, { zip: '33101' })).toEqual(['FL.window']);
  });

  it('a ZIP already among the candidates changes nothing', () => {
    const r = check('+18505550123', '2026-01-14T12:00:00-06:00', { zip: '32501' });
    expect(r.zones).toEqual(['America/Chicago', 'America/New_York']);
    expect(r.rules.find((x) => x.rule === 'zip')!.detail).toContain('already a candidate');
  });

  it('a ZIP missing from the ZIP data falls back to its ZIP3 state and adds all of that state’s zones', () => {
    const r = check('+13055550123', '2026-01-14T12:00:00-05:00', { zip: '32599' });
    expect(r.zones).toEqual(['America/Chicago', 'America/New_York']);
    expect(r.rules.find((x) => x.rule === 'zip')!.detail).toContain('by its first three digits');
  });

  it('a malformed, unknown or zone-less ZIP refuses the call', () => {
    const at = '2026-01-14T12:00:00-05:00';
    expect(failing('+12125550123', at, { zip: 'abc' })).toEqual(['zip']);
    expect(failing('+12125550123', at, { zip: '00000' })).toEqual(['zip']);
    expect(failing('+12125550123', at, { zip: '09001' })).toEqual(['zip']); // APO/AE: no zone
  });

  it('--state adds the state’s rules and all of its zones', () => {
    const at = '2026-01-14T19:30:00-06:00'; // 19:30 Austin, 20:30 New York
    expect(allowed('+15125550123', at)).toBe(true);
    const r = check('+15125550123', at, { state: 'fl' });
    expect(r.zones).toEqual(['America/Chicago', 'America/New_York']); // 512's Chicago + FL's zones
    expect(r.states).toEqual(['FL', 'TX']);
    expect(r.rules.filter((x) => !x.ok).map((x) => x.rule)).toEqual(['FL.window']);
    expect(failing('+15125550123', at, { state: 'ZZ' })).toEqual(['state']);
  });
});

describe('checkDial: numbers and instants it refuses', () => {
  const at = '2026-01-14T12:00:00-05:00';

  it.each([
    ['+442071234567', /not a NANP \(\+1\) number \(GB\)/],
    ['+14165550123', /416 is not an in-service US geographic area code/],
    ['+18005550123', /800 is not an in-service US geographic area code/],
    ['+18501234567', /not a valid NANP number/],
    ['+1850555012', /not a valid NANP number/],
    ['hello', /not a phone number/],
    ['', /not a phone number/],
  ])('%s', (to, why) => {
    const r = check(to, at);
    expect(r.allowed).toBe(false);
    expect(r.zones).toEqual([]);
    expect(r.rules).toEqual([{ rule: 'number', ok: false, detail: expect.stringMatching(why) }]);
  });

  it('normalises other formats with libphonenumber-js', () => {
    const r = check('(850) 555-0123', '2026-01-14T12:00:00-06:00');
    expect(r.e164).toBe('+18505550123');
    expect(r.allowed).toBe(true);
  });

  it('new area codes libphonenumber-js does not know yet are still US numbers (357 CA, overlay zones)', () => {
    const r = check('+13575550123', '2026-01-14T12:00:00-08:00');
    expect(r.allowed).toBe(true);
    expect(r.zones).toEqual(['America/Los_Angeles']);
  });

  it('an instant without an offset, or an invalid Date, is refused', () => {
    expect(failing('+12125550123', '2026-01-14T12:00:00')).toEqual(['at']);
    expect(failing('+12125550123', '2026-02-30T12:00:00Z')).toEqual(['at']);
    expect(checkDial({ to: '+12125550123', at: new Date(Number.NaN) }).allowed).toBe(false);
    expect(allowed('+12125550123', '2026-01-14T17:00:00.123456Z')).toBe(true);
  });
});
