/**
 * The command line of `npm run bench:calls` (usage: bench/calls.bench.ts), checked and turned into the pipelines
 * to run, the levels of N, and the settings of every level.
 */
import { parseArgs } from 'node:util';
import { PIPELINE_CHOICES } from './pipelines.ts';
import type { Pipeline } from './shared.ts';

/** How every level is run (reported as is in the JSON). */
export interface Settings {
  seconds: number;
  rampS: number | null;
  settleS: number;
  callSeconds: [number, number];
  bargeIn: number;
  slots: number;
  lateMs: number;
  serverFlags: string[];
}

export interface CallsOptions {
  pipelines: Pipeline[];
  ns: number[];
  settings: Settings;
  cpuProf: boolean;
  json: boolean;
}

function number(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min} (got ${value})`);
  return n;
}

function range(name: string, value: string): [number, number] {
  const [a = NaN, b = a] = value.split('-').map((v) => number(name, v, 0));
  return [Math.min(a, b), Math.max(a, b)];
}

/** Parses this process's arguments; throws on a bad value. */
export function parseCallsOptions(): CallsOptions {
  const { values: args } = parseArgs({
    options: {
      n: { type: 'string', default: '1,50,100,200,250,300,350' },
      seconds: { type: 'string', default: '20' },
      ramp: { type: 'string' },
      settle: { type: 'string', default: '6' },
      'call-seconds': { type: 'string', default: '30-90' },
      'barge-in': { type: 'string', default: '0.3' },
      slots: { type: 'string', default: '10' },
      'late-ms': { type: 'string', default: '100' },
      pipeline: { type: 'string', default: 'cascaded' },
      'cpu-prof': { type: 'boolean', default: false },
      'server-flags': { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
    },
  });
  const pipelines = Object.hasOwn(PIPELINE_CHOICES, args.pipeline) ? PIPELINE_CHOICES[args.pipeline]! : null;
  if (!pipelines) throw new Error('--pipeline must be cascaded, realtime, bridge, both or all');
  const ns = args.n
    .split(',')
    .map((v) => number('n', v.trim(), 1))
    .map(Math.round);
  const settings: Settings = {
    seconds: number('seconds', args.seconds, 1),
    rampS: args.ramp === undefined ? null : number('ramp', args.ramp, 0),
    settleS: number('settle', args.settle, 0),
    callSeconds: range('call-seconds', args['call-seconds']),
    bargeIn: number('barge-in', args['barge-in'], 0),
    slots: Math.round(number('slots', args.slots, 1)),
    lateMs: number('late-ms', args['late-ms'], 1),
    serverFlags: args['server-flags'].split(/\s+/).filter(Boolean),
  };
  return { pipelines, ns, settings, cpuProf: args['cpu-prof'], json: args.json };
}
