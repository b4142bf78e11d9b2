/** English number words (American usage: no "and", hyphenated twenty-one…ninety-nine), shared by the spoken summaries and the speech normaliser. */

export const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

export function under100(n: number): string {
  if (n < 20) return ONES[n]!;
  const tens = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? tens : `${tens}-${ONES[n % 10]}`;
}

export function under1000(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return under100(rest);
  return rest === 0 ? `${ONES[hundreds]} hundred` : `${ONES[hundreds]} hundred ${under100(rest)}`;
}

/** A whole number in words: 1249000 → "one million two hundred forty-nine thousand". Up to 999 trillion. */
export function numberToWords(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`numberToWords: not a safe integer: ${n}`);
  if (n < 0) return `minus ${numberToWords(-n)}`;
  if (n === 0) return 'zero';
  if (n >= 1e15) return digitWords(String(n));
  const parts: string[] = [];
  let rest = n;
  for (let scale = 0; rest > 0; scale++) {
    const group = rest % 1000;
    if (group > 0) parts.unshift(SCALES[scale] ? `${under1000(group)} ${SCALES[scale]}` : under1000(group));
    rest = Math.floor(rest / 1000);
  }
  return parts.join(' ');
}

/** Digit by digit: "0100" → "zero one zero zero". */
export function digitWords(digits: string): string {
  return [...digits].map((d) => ONES[Number(d)] ?? d).join(' ');
}
