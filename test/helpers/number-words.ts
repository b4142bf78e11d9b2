/** Independent number → words oracles for the spoken-number tests (deliberately not the product code). */
const SMALL = [
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
const ORD_SMALL = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
];
const ORD_TENS = [
  '',
  '',
  'twentieth',
  'thirtieth',
  'fortieth',
  'fiftieth',
  'sixtieth',
  'seventieth',
  'eightieth',
  'ninetieth',
];

function under100(n: number): string {
  if (n < 20) return SMALL[n]!;
  const t = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? t : `${t} ${SMALL[n % 10]}`;
}

/** Cardinal reading with scale words: 2305 → "two thousand three hundred five". */
export function cardinalWords(n: number, withAnd = false): string {
  const parts: string[] = [];
  const th = Math.floor(n / 1000);
  const h = Math.floor((n % 1000) / 100);
  const r = n % 100;
  if (th > 0) parts.push(`${under100(th)} thousand`);
  if (h > 0) parts.push(`${SMALL[h]} hundred`);
  if (r > 0 || parts.length === 0) parts.push(`${withAnd && parts.length > 0 ? 'and ' : ''}${under100(r)}`);
  return parts.join(' ');
}

/** Chunked house-number reading: 141 → "one forty one", 1205 → "twelve oh five", 2300 → "twenty three hundred". */
export function chunkedWords(n: number): string {
  const head = Math.floor(n / 100);
  const r = n % 100;
  const headWords = under100(head);
  if (r === 0) return `${headWords} hundred`;
  if (r < 10) return `${headWords} oh ${SMALL[r]}`;
  return `${headWords} ${under100(r)}`;
}

export function ordinalWords(n: number): string {
  if (n < 20) return ORD_SMALL[n]!;
  if (n % 10 === 0) return ORD_TENS[n / 10]!;
  return `${TENS[Math.floor(n / 10)]} ${ORD_SMALL[n % 10]}`;
}
