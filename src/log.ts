import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured logger. Messages are static; phone numbers, emails, transcripts and tool arguments
 * go only under `pii.*` keys, which are redacted unless LOG_PII is on.
 */
export function createLogger(opts: {
  level: string;
  showPii?: boolean;
  destination?: pino.DestinationStream;
  name?: string;
}): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    name: opts.name,
    redact: opts.showPii ? [] : { paths: ['pii', '*.pii'], censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
