import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one service instance (own registry, so tests can build many apps). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly toolCalls = new Counter({
    name: 'tool_calls_total',
    help: 'Tool invocations by tool, surface and outcome',
    labelNames: ['tool', 'source', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly toolDuration = new Histogram({
    name: 'tool_call_duration_seconds',
    help: 'Tool invocation duration',
    labelNames: ['tool'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly callsActive = new Gauge({
    name: 'calls_active',
    help: 'Calls with a live session, by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  readonly callsEnded = new Counter({
    name: 'calls_ended_total',
    help: 'Ended calls by transport, reason and outcome',
    labelNames: ['transport', 'reason', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly turnFirstText = new Histogram({
    name: 'call_turn_first_text_seconds',
    help: 'Caller utterance in → first reply text out (brain and tools included), by brain',
    labelNames: ['brain'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });

  readonly bargeInClear = new Histogram({
    name: 'call_barge_in_clear_seconds',
    help: 'Barge-in: the event that decided it (speech, a word, an interruption phrase) → Twilio clear sent',
    labelNames: ['trigger'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
