import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';

function capture(showPii: boolean) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', showPii, destination }), lines };
}

describe('logging', () => {
  it('redacts everything under pii, at the top level and one level down', () => {
    const { log, lines } = capture(false);
    log.info({ callSid: 'CA1', pii: { phone: '+15125550142', transcript: 'my number is…' } }, 'caller identified');
    log.child({ call: 'x' }).info({ tool: { name: 'add_contact', pii: { email: 'a@b.c' } } }, 'tool call');
    expect(lines[0]).toMatchObject({ callSid: 'CA1', pii: '[redacted]', msg: 'caller identified' });
    expect((lines[1]!.tool as Record<string, unknown>).pii).toBe('[redacted]');
    expect(JSON.stringify(lines)).not.toMatch(/5550142|a@b\.c|my number/);
  });

  it('shows PII only when LOG_PII is on', () => {
    const { log, lines } = capture(true);
    log.info({ pii: { phone: '+15125550142' } }, 'caller identified');
    expect(lines[0]!.pii).toEqual({ phone: '+15125550142' });
  });
});
