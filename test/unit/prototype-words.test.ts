import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spokenToAddress, tokenizeAddress } from '../../src/domain/properties/address.ts';
import { wordsToDigits } from '../../src/domain/properties/spoken-numbers.ts';
import { parsePrice } from '../../src/domain/shared/money.ts';
import { toSaleRow } from '../../src/domain/sales/sale-formats.ts';
import { classifyUtterance } from '../../src/voice/nlu/index.ts';

/** Words that are members of Object.prototype must read as plain words everywhere. */
const PROTO_WORDS = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
];

describe('words that name Object.prototype members', () => {
  it.each(PROTO_WORDS)('"%s" is an ordinary word', (w) => {
    expect(wordsToDigits([w, 'one', 'forty', 'one'])).toEqual([w, '141']);
    expect(tokenizeAddress(`141 ${w} st`).tokens).toEqual(['141', w.toLowerCase(), 'st']);
    expect(typeof spokenToAddress(`one forty one ${w} street`)).toBe('string');
    expect(parsePrice(`850 ${w}`)).toBeNull();
    expect(() =>
      classifyUtterance(`the ${w} said call me at ${w}`, { now: new Date(0), timeZone: 'UTC' }),
    ).not.toThrow();
    expect(
      toSaleRow('ames', { rownames: '1', Sale_Price: '1', Mo_Sold: '1', Year_Sold: '2010', Overall_Cond: w }).condition,
    ).toBeNull();
  });

  it('the classifier never throws on prototype words mixed into speech', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PROTO_WORDS, 'one', 'elm', 'street', 'tomorrow', 'at', 'three', 'call'), {
          maxLength: 12,
        }),
        (ws) => {
          classifyUtterance(ws.join(' '), { now: new Date(0), timeZone: 'America/Chicago' });
        },
      ),
    );
  });
});
