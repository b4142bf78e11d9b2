/**
 * "Stop calling me", "take me off your list", "do not call", "unsubscribe", or a bare "stop": the person revokes
 * consent to be called (FCC: by any reasonable means). Campaign calls honour it at once (telephony.md A5, 5).
 */
const OPT_OUT =
  /\b(?:stop(?: calling| call(?:ing)? me)?|quit calling|remove (?:me|my number)|unsubscribe|do ?n[o']?t (?:ever )?call|don'?t (?:ever )?call|never call|take (?:me|my number|us) off|put me on (?:your|the) do ?not ?call|no more calls)\b/i;

/** "Stop" in phrases that are not about calls ("stop by the house", "bus stop"): taken out before looking. */
const NOT_OPT_OUT = /\b(?:stop by|stop in|stop over|bus stop|one stop|non-?stop|stop sign)\b/gi;

export function detectOptOut(text: string): boolean {
  return OPT_OUT.test(text.replace(/[’‘]/g, "'").replace(NOT_OPT_OUT, ' '));
}
