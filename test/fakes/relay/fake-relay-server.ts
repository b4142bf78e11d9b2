import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallEvent } from '../../../src/call-runtime/call-events.ts';
import { verifyTwilioSignature } from '../../../src/integrations/twilio/twilio.ts';
import { closeServer, listenOnFreePort, readBody } from '../http-fake.ts';

/**
 * A minimal stand-in for the server side of an inbound ConversationRelay call, for the softphone's
 * tests, on 127.0.0.1 with a random port. Every webhook and the WebSocket upgrade must carry a valid
 * X-Twilio-Signature for `publicUrl` + path (403 otherwise, recorded with signatureValid:false).
 *
 *   POST /twilio/voice         by `To`: FAKE_LINES.agent → <Connect action><ConversationRelay> with a
 *                              call token; unknown → <Say><Hangup/>; mediaStream → <Connect><Stream>;
 *                              badToken → a relay whose call token is forged (the socket closes 1008)
 *   WS   /twilio/relay         checks setup.customParameters.callToken; answers prompts with
 *                              "You said: …" streamed in several tokens (special phrases below)
 *   POST /twilio/relay-action  handoff: {"reason":"transfer"} → <Dial action><Number url>; else goodbye
 *   POST /twilio/whisper       <Say> for the human answering a transfer
 *   POST /twilio/dial-status   completed → <Hangup/>; otherwise an apology <Say> and <Hangup/>
 *   POST /twilio/status        status callback; publishes the `ended` event
 *   GET  /api/calls/events?call_sid=…  Bearer apiKey (401 otherwise); Server-Sent Events of that call
 *
 * Prompts: "transfer me" → reply + end {reason:'transfer'}; "goodbye" → reply + end {reason:'goodbye'};
 * "viewing" → reply, then (300 ms later) a schedule_viewing tool event; "hold on" → reply, then
 * "Are you still there?" 400 ms later on its own; "drop" → the socket closes (1000) without `end`.
 */

export const FAKE_LINES = {
  agent: '+15125550100',
  unknown: '+15125550999',
  mediaStream: '+15125550111',
  badToken: '+15125550122',
} as const;

export const HUMAN_NUMBER = '+15125550147';

export interface FakeRelayServerOptions {
  authToken: string;
  apiKey: string;
  /** The PUBLIC_URL Twilio would use (signatures, TwiML URLs). Default: the fake's own address. */
  publicUrl?: string;
}

export interface RecordedWebhook {
  path: string;
  params: Record<string, string>;
  signatureValid: boolean;
}

export interface FakeRelayServer {
  /** Where to send requests, e.g. http://127.0.0.1:43210. */
  url: string;
  publicUrl: string;
  webhooks: RecordedWebhook[];
  upgrades: { path: string; signatureValid: boolean }[];
  /** Every message the softphone sent on a relay socket. */
  relayMessages: Record<string, unknown>[];
  /** SSE subscriptions accepted, by call sid. */
  subscriptions: string[];
  close(): Promise<void>;
}

export function fakeCallToken(authToken: string, callSid: string): string {
  return createHmac('sha256', authToken).update(callSid).digest('hex');
}

export async function startFakeRelayServer(opts: FakeRelayServerOptions): Promise<FakeRelayServer> {
  const webhooks: RecordedWebhook[] = [];
  const upgrades: FakeRelayServer['upgrades'] = [];
  const relayMessages: Record<string, unknown>[] = [];
  const subscriptions: string[] = [];
  const streams = new Map<string, Set<ServerResponse>>();
  const sockets = new Set<WebSocket>();
  let publicUrl = opts.publicUrl ?? '';

  const publish = (event: CallEvent) => {
    for (const res of streams.get(event.callSid) ?? []) {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    }
  };
  const at = () => new Date().toISOString();
  const state = (callSid: string, value: string) => publish({ type: 'state', callSid, at: at(), value });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET') return events(req, res, url);
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const signature = req.headers['x-twilio-signature'];
    const signatureValid = verifyTwilioSignature(
      opts.authToken,
      typeof signature === 'string' ? signature : undefined,
      `${publicUrl}${req.url}`,
      params,
    );
    webhooks.push({ path: url.pathname, params, signatureValid });
    if (!signatureValid) {
      res.writeHead(403, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: 'forbidden', message: 'Invalid Twilio signature' }));
    }
    if (url.pathname === '/twilio/status') {
      publish({ type: 'ended', callSid: params.CallSid ?? '', at: at(), reason: 'completed', outcome: null });
      return void res.writeHead(204).end();
    }
    const twiml = route(url.pathname, params);
    if (twiml === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such webhook');
    res.writeHead(200, { 'content-type': 'text/xml' }).end(twiml);
  }

  function route(path: string, p: Record<string, string>): string | undefined {
    const response = new twilio.twiml.VoiceResponse();
    switch (path) {
      case '/twilio/voice': {
        if (p.To === FAKE_LINES.unknown) {
          response.say('Sorry, this number is not in service. Goodbye.');
          response.hangup();
          break;
        }
        const ws = publicUrl.replace(/^http/, 'ws');
        const connect = response.connect({ action: '/twilio/relay-action' });
        if (p.To === FAKE_LINES.mediaStream) {
          connect.stream({ url: `${ws}/twilio/media-stream` });
          break;
        }
        const relay = connect.conversationRelay({
          url: `${ws}/twilio/relay`,
          welcomeGreeting: "Thanks for calling Lone Star Demo Realty. I'm Dana's virtual assistant. How can I help?",
          interruptible: 'any',
          dtmfDetection: true,
        });
        const token = p.To === FAKE_LINES.badToken ? 'forged' : fakeCallToken(opts.authToken, p.CallSid ?? '');
        relay.parameter({ name: 'callToken', value: token });
        relay.parameter({ name: 'agentId', value: '7' });
        break;
      }
      case '/twilio/relay-action': {
        const handoff = p.HandoffData ? (JSON.parse(p.HandoffData) as { reason?: string }) : {};
        if (handoff.reason === 'transfer') {
          response
            .dial({ action: '/twilio/dial-status', timeout: 20, callerId: FAKE_LINES.agent })
            .number({ url: '/twilio/whisper' }, HUMAN_NUMBER);
        } else {
          response.say(p.HandoffData ? 'Thanks for calling. Goodbye.' : 'Sorry, we lost the line. Goodbye.');
          response.hangup();
        }
        break;
      }
      case '/twilio/whisper':
        response.say(`Transferred call from ${p.From === FAKE_LINES.agent ? 'your line' : 'unknown'}: a buyer.`);
        break;
      case '/twilio/dial-status':
        if (p.DialCallStatus !== 'completed') {
          response.say('Sorry, Dana could not take your call. She will call you back.');
        }
        response.hangup();
        break;
      default:
        return undefined;
    }
    return response.toString();
  }

  function events(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const callSid = url.pathname === '/api/calls/events' ? url.searchParams.get('call_sid') : undefined;
    if (!callSid) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    subscriptions.push(callSid);
    const set = streams.get(callSid) ?? new Set();
    set.add(res);
    streams.set(callSid, set);
    req.on('close', () => set.delete(res));
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const signature = req.headers['x-twilio-signature'];
    const wsPublic = publicUrl.replace(/^http/, 'ws');
    const signatureValid = verifyTwilioSignature(
      opts.authToken,
      typeof signature === 'string' ? signature : undefined,
      `${wsPublic}${req.url}`,
      {},
    );
    upgrades.push({ path: req.url ?? '', signatureValid });
    if (!signatureValid || req.url !== '/twilio/relay') {
      socket.end(`HTTP/1.1 ${signatureValid ? 404 : 403} Refused\r\nconnection: close\r\n\r\nrefused`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => relaySession(ws));
  });

  function relaySession(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    let callSid = '';
    let seq = 0;
    const send = (msg: Record<string, unknown>) => ws.send(JSON.stringify(msg));
    const reply = async (text: string) => {
      state(callSid, 'thinking');
      const words = text.split(' ');
      const third = Math.ceil(words.length / 3);
      const tokens = [0, 1, 2].map((i) => words.slice(i * third, (i + 1) * third).join(' ')).filter(Boolean);
      for (const [i, token] of tokens.entries()) {
        await new Promise((r) => setTimeout(r, 5));
        send({ type: 'text', token: i === 0 ? token : ` ${token}`, last: i === tokens.length - 1 });
      }
      publish({ type: 'turn', callSid, at: at(), seq: ++seq, role: 'agent', text });
      state(callSid, 'listening');
    };
    // One message at a time, like a server that finishes a turn before taking the next.
    let queue = Promise.resolve();
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      relayMessages.push(msg);
      queue = queue.then(() => onMessage(msg));
    });
    async function onMessage(msg: Record<string, unknown>): Promise<void> {
      switch (msg.type) {
        case 'setup': {
          callSid = String(msg.callSid);
          const params = msg.customParameters as Record<string, string>;
          if (params.callToken !== fakeCallToken(opts.authToken, callSid)) {
            ws.close(1008, 'invalid call token');
            return;
          }
          state(callSid, 'greeting');
          return;
        }
        case 'dtmf':
          return reply(`You pressed ${String(msg.digit)}.`);
        case 'interrupt':
          state(callSid, 'interrupted');
          return;
        case 'prompt': {
          const text = String(msg.voicePrompt);
          const lower = text.toLowerCase();
          publish({ type: 'turn', callSid, at: at(), seq: ++seq, role: 'caller', text });
          if (lower.includes('transfer me')) {
            await reply('Let me connect you with Dana.');
            send({ type: 'end', handoffData: JSON.stringify({ reason: 'transfer', to: HUMAN_NUMBER }) });
          } else if (lower.includes('goodbye')) {
            await reply('Goodbye, thanks for calling.');
            send({ type: 'end', handoffData: JSON.stringify({ reason: 'goodbye' }) });
          } else if (lower.includes('drop')) {
            send({ type: 'text', token: 'One moment', last: false });
            ws.close(1000, 'bye');
          } else if (lower.includes('viewing')) {
            await reply('You are booked for Saturday at 10 AM.');
            await new Promise((r) => setTimeout(r, 300));
            publish({
              type: 'tool',
              callSid,
              at: at(),
              seq: ++seq,
              name: 'schedule_viewing',
              arguments: { property: '12 Oak St' },
              ok: true,
              summary: 'Viewing booked for Saturday 10 AM',
              durationMs: 42,
            });
          } else if (lower.includes('hold on')) {
            await reply('Sure, take your time.');
            setTimeout(() => send({ type: 'text', token: 'Are you still there?', last: true }), 400);
          } else {
            await reply(`You said: ${text}`);
          }
          return;
        }
      }
    }
  }

  const url = `http://127.0.0.1:${await listenOnFreePort(server)}`;
  publicUrl ||= url;
  return {
    url,
    publicUrl,
    webhooks,
    upgrades,
    relayMessages,
    subscriptions,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      for (const set of streams.values()) for (const res of set) res.end();
      wss.close();
      await closeServer(server);
    },
  };
}
