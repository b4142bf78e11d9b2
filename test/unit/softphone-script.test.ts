import { describe, expect, it } from 'vitest';
import { parseScript, ScriptSyntaxError, type ScriptProblem } from '../../src/softphone/script.ts';

function problemsOf(text: string): ScriptProblem[] {
  try {
    parseScript(text);
  } catch (err) {
    if (err instanceof ScriptSyntaxError) return err.problems;
    throw err;
  }
  throw new Error('expected a ScriptSyntaxError');
}

describe('softphone call scripts', () => {
  it('parses every directive, with line numbers, skipping comments and blank lines', () => {
    const script = [
      '# a viewing call',
      '',
      'expect-greeting: /thanks for calling/i',
      'say: Is 12 Oak Street still available?',
      'expect: available',
      'expect-not: /sold/',
      'expect-tool: find_property',
      'expect-tool: schedule_viewing ok',
      'expect-no-tool: send_sms failed',
      'expect-state: listening',
      '  wait: 1.5  ',
      'dtmf: 1 2#',
      'interrupt: 3',
      'expect-end: /transfer/',
      'EXPECT-END',
      'hangup',
    ].join('\n');
    const directives = parseScript(script);
    expect(directives.map((d) => [d.line, d.kind])).toEqual([
      [3, 'expect-greeting'],
      [4, 'say'],
      [5, 'expect'],
      [6, 'expect'],
      [7, 'expect-tool'],
      [8, 'expect-tool'],
      [9, 'expect-tool'],
      [10, 'expect-state'],
      [11, 'wait'],
      [12, 'dtmf'],
      [13, 'interrupt'],
      [14, 'expect-end'],
      [15, 'expect-end'],
      [16, 'hangup'],
    ]);
    expect(directives[0]).toMatchObject({
      matcher: { kind: 'regex' },
      source: 'expect-greeting: /thanks for calling/i',
    });
    expect(directives[1]).toMatchObject({ text: 'Is 12 Oak Street still available?' });
    expect(directives[2]).toMatchObject({ negate: false, matcher: { kind: 'text', text: 'available' } });
    expect(directives[3]).toMatchObject({ negate: true, matcher: { kind: 'regex' } });
    expect(directives[4]).toEqual(expect.objectContaining({ name: 'find_property', negate: false }));
    expect(directives[4]).not.toHaveProperty('ok');
    expect(directives[5]).toMatchObject({ name: 'schedule_viewing', ok: true, negate: false });
    expect(directives[6]).toMatchObject({ name: 'send_sms', ok: false, negate: true });
    expect(directives[7]).toMatchObject({ matcher: { kind: 'text', text: 'listening' } });
    expect(directives[8]).toMatchObject({ seconds: 1.5, source: 'wait: 1.5' });
    expect(directives[9]).toMatchObject({ digits: '12#' });
    expect(directives[10]).toMatchObject({ words: 3 });
    expect(directives[11]).toMatchObject({ matcher: { kind: 'regex' } });
    expect(directives[12]).not.toHaveProperty('matcher');
  });

  it('keeps colons and # inside the argument', () => {
    expect(parseScript('say: press # then call me at 10:30')).toMatchObject([
      { kind: 'say', text: 'press # then call me at 10:30' },
    ]);
  });

  it('reports every bad line with its number', () => {
    const problems = problemsOf(
      [
        'say: hello', // 1 ok
        'say:', // 2
        'shout: hi', // 3
        'just some words', // 4
        'expect: /unclosed(/', // 5
        'wait: soon', // 6
        'wait: 0', // 7
        'dtmf: 12x', // 8
        'interrupt: 2.5', // 9
        'expect-tool: schedule viewing', // 10
        'expect-tool: schedule_viewing maybe', // 11
        'hangup: now', // 12
        'expect-greeting:', // 13
        '# fine', // 14
        'expect-end', // 15 ok
      ].join('\n'),
    );
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const byLine = Object.fromEntries(problems.map((p) => [p.line, p.message]));
    expect(byLine[2]).toMatch(/'say' needs/);
    expect(byLine[3]).toMatch(/unknown directive 'shout'/);
    expect(byLine[4]).toMatch(/not a directive/);
    expect(byLine[5]).toMatch(/bad regex/);
    expect(byLine[6]).toMatch(/seconds/);
    expect(byLine[8]).toMatch(/keypad digits/);
    expect(byLine[9]).toMatch(/whole number/);
    expect(byLine[12]).toMatch(/no argument/);
    expect(problems[0]).toEqual({ line: 2, source: 'say:', message: expect.any(String) });
  });

  it('names the lines in the error message', () => {
    expect(() => parseScript('say: hi\nfoo: bar')).toThrow(/line 2: unknown directive 'foo'/);
  });

  it('accepts an empty script', () => {
    expect(parseScript('# nothing\n\n')).toEqual([]);
  });
});
