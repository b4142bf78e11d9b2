import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The TwiML verbs the softphone understands, in document order. Attribute values are kept as
 * written (URLs may be relative: resolve them with `resolveTwimlUrl` against the URL of the
 * request that returned the document, as Twilio does).
 */
export type TwimlVerb =
  | { verb: 'Say'; text: string }
  | { verb: 'Play'; url: string }
  | { verb: 'Pause'; seconds: number }
  | { verb: 'Hangup' }
  | { verb: 'Redirect'; url: string }
  | ConversationRelayVerb
  | { verb: 'Stream'; url: string; action?: string; parameters: Record<string, string> }
  | DialVerb
  /** Anything else (Gather, Record, Enqueue, <Connect><Room>…): reported and skipped. */
  | { verb: 'Unsupported'; name: string };

/** `<Connect action?><ConversationRelay url welcomeGreeting? …><Parameter/>…</ConversationRelay></Connect>`. */
export interface ConversationRelayVerb {
  verb: 'ConversationRelay';
  url: string;
  /** `<Connect action>`: where the end of the session (and its handoffData) is reported. */
  action?: string;
  welcomeGreeting?: string;
  /** Every attribute of `<ConversationRelay>` as written. */
  attributes: Record<string, string>;
  /** The nested `<Parameter name value/>` elements (sent back in `setup.customParameters`). */
  parameters: Record<string, string>;
}

/** `<Dial action? timeout? callerId?>` with `<Number url?>`, `<Client>`, `<Sip>`… or a bare number. */
export interface DialVerb {
  verb: 'Dial';
  action?: string;
  timeout?: number;
  callerId?: string;
  targets: DialTarget[];
}

export interface DialTarget {
  /** `Number`, `Client`, `Sip`, `Conference`, `Queue`, or `text` for `<Dial>+1…</Dial>`. */
  type: string;
  value: string;
  /** `<Number url>`: the TwiML run on the callee's leg before connecting (the "whisper"). */
  url?: string;
}

export class TwimlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwimlError';
  }
}

/** fast-xml-parser's preserveOrder shape: `{ TagName: children[], ':@': attributes }` or `{ '#text': … }`. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** Parses a TwiML document into its verbs; throws TwimlError on malformed XML or a missing `<Response>`. */
export function parseTwiml(xml: string): TwimlVerb[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new TwimlError(`invalid TwiML (line ${valid.err.line}): ${valid.err.msg}`);
  const root = (parser.parse(xml) as XmlNode[]).find((n) => tagOf(n) === 'Response');
  if (!root) throw new TwimlError('invalid TwiML: no <Response> element');
  return childElements(root).flatMap(toVerbs);
}

/** Resolves a (possibly relative) TwiML URL against the URL of the document it came from. */
export function resolveTwimlUrl(ref: string, documentUrl: string): string {
  return new URL(ref, documentUrl).toString();
}

function toVerbs(node: XmlNode): TwimlVerb[] {
  const tag = tagOf(node)!;
  const a = attrsOf(node);
  switch (tag) {
    case 'Say':
      return [{ verb: 'Say', text: textOf(node) }];
    case 'Play':
      return [{ verb: 'Play', url: textOf(node) }];
    case 'Pause':
      return [{ verb: 'Pause', seconds: a.length !== undefined ? Number(a.length) : 1 }];
    case 'Hangup':
      return [{ verb: 'Hangup' }];
    case 'Redirect':
      return [{ verb: 'Redirect', url: textOf(node) }];
    case 'Connect':
      return childElements(node).map((child) => connectVerb(child, a.action));
    case 'Dial':
      return [dialVerb(node)];
    default:
      return [{ verb: 'Unsupported', name: tag }];
  }
}

function connectVerb(node: XmlNode, action: string | undefined): TwimlVerb {
  const tag = tagOf(node)!;
  const attributes = attrsOf(node);
  const parameters: Record<string, string> = {};
  for (const child of childElements(node)) {
    const p = attrsOf(child);
    if (tagOf(child) === 'Parameter' && p.name !== undefined) parameters[p.name] = p.value ?? '';
  }
  const url = attributes.url;
  if ((tag === 'ConversationRelay' || tag === 'Stream') && !url) {
    throw new TwimlError(`invalid TwiML: <${tag}> has no url attribute`);
  }
  const withAction = action !== undefined ? { action } : {};
  if (tag === 'ConversationRelay') {
    const greeting = attributes.welcomeGreeting;
    return {
      verb: 'ConversationRelay',
      url: url!,
      ...withAction,
      ...(greeting !== undefined ? { welcomeGreeting: greeting } : {}),
      attributes,
      parameters,
    };
  }
  if (tag === 'Stream') return { verb: 'Stream', url: url!, ...withAction, parameters };
  return { verb: 'Unsupported', name: `Connect/${tag}` };
}

function dialVerb(node: XmlNode): DialVerb {
  const a = attrsOf(node);
  const targets: DialTarget[] = childElements(node).map((child) => {
    const url = attrsOf(child).url;
    return { type: tagOf(child)!, value: textOf(child), ...(url !== undefined ? { url } : {}) };
  });
  const bare = directText(node);
  if (targets.length === 0 && bare) targets.push({ type: 'text', value: bare });
  return {
    verb: 'Dial',
    ...(a.action !== undefined ? { action: a.action } : {}),
    ...(a.timeout !== undefined ? { timeout: Number(a.timeout) } : {}),
    ...(a.callerId !== undefined ? { callerId: a.callerId } : {}),
    targets,
  };
}

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function attrsOf(node: XmlNode): Record<string, string> {
  return (node[':@'] ?? {}) as Record<string, string>;
}

function contentOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const content = tag ? node[tag] : undefined;
  return Array.isArray(content) ? (content as XmlNode[]) : [];
}

/** Child elements, skipping text, comments and processing instructions. */
function childElements(node: XmlNode): XmlNode[] {
  return contentOf(node).filter((n) => {
    const tag = tagOf(n);
    return tag !== undefined && tag !== '#text' && !tag.startsWith('?');
  });
}

/** All text inside an element, SSML children included, with whitespace collapsed. */
function textOf(node: XmlNode): string {
  const collect = (n: XmlNode): string =>
    tagOf(n) === '#text' ? String(n['#text']) : contentOf(n).map(collect).join(' ');
  return contentOf(node).map(collect).join(' ').replace(/\s+/g, ' ').trim();
}

function directText(node: XmlNode): string {
  return contentOf(node)
    .filter((n) => tagOf(n) === '#text')
    .map((n) => String(n['#text']))
    .join(' ')
    .trim();
}
