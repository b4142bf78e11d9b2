/**
 * The call benchmark's `--pipeline` choices, and whether each pipeline that needs more than the app can run in this
 * checkout: the realtime pipeline (its adapter, the fake Realtime server, the route handing calls to it) and the
 * bare bridge (the fake Realtime server).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './bench-process.ts';
import type { Pipeline } from './shared.ts';

/** What each `--pipeline` value runs, in order. */
export const PIPELINE_CHOICES: Readonly<Record<string, Pipeline[]>> = {
  cascaded: ['cascaded'],
  realtime: ['realtime'],
  bridge: ['bridge'],
  both: ['cascaded', 'realtime'],
  all: ['bridge', 'cascaded', 'realtime'],
};

export interface PipelineStatus {
  runnable: boolean;
  status: string;
}

const FAKE_REALTIME = 'test/fakes/openai/fake-realtime-server.ts';

const exists = (file: string): boolean => existsSync(join(REPO_ROOT, file));

/**
 * Whether the realtime pipeline (OpenAI Realtime speech-to-speech behind VOICE_PIPELINE=realtime) can be run:
 * its adapter and the fake Realtime server exist, and the Media Streams route hands calls to it.
 */
export function realtimeStatus(): PipelineStatus {
  const adapter = 'src/integrations/llm/openai-realtime.ts';
  const route = 'src/call-server/media-stream.ws.ts';
  const missing = [adapter, FAKE_REALTIME].filter((f) => !exists(f));
  if (missing.length) return { runnable: false, status: `not wired yet (${missing.join(' and ')} missing)` };
  const routeText = exists(route) ? readFileSync(join(REPO_ROOT, route), 'utf8') : '';
  if (!/realtime-call\.ts['"]/.test(routeText) || !/VOICE_PIPELINE/.test(routeText)) {
    return {
      runnable: false,
      status: `not wired yet (the adapter and its fake exist, but ${route} does not hand calls to it)`,
    };
  }
  return { runnable: true, status: 'wired (VOICE_PIPELINE=realtime); run it with --pipeline realtime' };
}

/** The bare bridge needs only the fake Realtime server. */
export function bridgeStatus(): PipelineStatus {
  return exists(FAKE_REALTIME)
    ? { runnable: true, status: 'measured (bare pass-through bridge, bench/lib/bare-bridge.ts)' }
    : { runnable: false, status: `cannot run (${FAKE_REALTIME} missing)` };
}
