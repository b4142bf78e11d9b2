/**
 * Cuts streamed model text into sentences so speech can start after the first one. A boundary is
 * ".", "!" or "?" followed by white space; decimals ("1.2 million") and common abbreviations
 * ("St.", "Dr.", "Mr.") are not boundaries.
 */
const ABBREVIATIONS = /\b(?:st|dr|mr|mrs|ms|ave|blvd|rd|ln|ct|apt|no|approx|vs|jr|sr|e\.g|i\.e)\.$/i;

export class SentenceChunker {
  private buffer = '';

  /** Adds text; returns the sentences it completed, in order. */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let start = 0;
    const re = /[.!?]+["')\]]?(?=\s)/g;
    for (let m = re.exec(this.buffer); m; m = re.exec(this.buffer)) {
      const end = m.index + m[0].length;
      const candidate = this.buffer.slice(start, end);
      if (ABBREVIATIONS.test(candidate)) continue;
      const sentence = candidate.trim();
      if (sentence) out.push(sentence);
      start = end;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The text left over (an unfinished sentence), trimmed; clears the buffer. */
  flush(): string {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest;
  }
}
