import { describe, expect, it } from 'vitest';
import { connectTwiml, sayAndHangUpTwiml } from '../../src/integrations/twilio/twilio.ts';
import { parseTwiml, resolveTwimlUrl, TwimlError } from '../../src/softphone/twiml.ts';

describe('softphone TwiML parsing', () => {
  it('reads <Connect action><ConversationRelay> with its attributes and parameters', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <Connect action="/twilio/relay-action">
          <ConversationRelay url="wss://voice.example.test/twilio/relay" welcomeGreeting="Thanks for calling. I&apos;m Dana&apos;s assistant &amp; more."
            interruptible="any" dtmfDetection="true">
            <Parameter name="callToken" value="abc.def"/>
            <Parameter name="agentId" value="7"/>
          </ConversationRelay>
        </Connect>
      </Response>`;
    expect(parseTwiml(xml)).toEqual([
      {
        verb: 'ConversationRelay',
        url: 'wss://voice.example.test/twilio/relay',
        action: '/twilio/relay-action',
        welcomeGreeting: "Thanks for calling. I'm Dana's assistant & more.",
        attributes: {
          url: 'wss://voice.example.test/twilio/relay',
          welcomeGreeting: "Thanks for calling. I'm Dana's assistant & more.",
          interruptible: 'any',
          dtmfDetection: 'true',
        },
        parameters: { callToken: 'abc.def', agentId: '7' },
      },
    ]);
  });

  it("reads the server's own connectTwiml output (no action, no greeting is optional)", () => {
    const verbs = parseTwiml(
      connectTwiml({
        transport: 'conversation-relay',
        url: 'wss://x.test/twilio/relay',
        welcomeGreeting: `Hi, I'm "Dana" <assistant>`,
        parameters: { callToken: 't' },
      }),
    );
    expect(verbs).toMatchObject([
      { verb: 'ConversationRelay', welcomeGreeting: `Hi, I'm "Dana" <assistant>`, parameters: { callToken: 't' } },
    ]);
    expect(verbs[0]).not.toHaveProperty('action');
  });

  it('reads <Say> and <Hangup/> in order', () => {
    expect(parseTwiml(sayAndHangUpTwiml('Sorry, this number is not in service. Goodbye.'))).toEqual([
      { verb: 'Say', text: 'Sorry, this number is not in service. Goodbye.' },
      { verb: 'Hangup' },
    ]);
    expect(parseTwiml('<Response><Say voice="Polly.Joanna">Hello <break time="1s"/> again</Say></Response>')).toEqual([
      { verb: 'Say', text: 'Hello again' },
    ]);
  });

  it('recognises <Connect><Stream> (the media-stream transport)', () => {
    const verbs = parseTwiml(
      connectTwiml({
        transport: 'media-stream',
        url: 'wss://x.test/twilio/media-stream',
        parameters: { callToken: 't' },
      }),
    );
    expect(verbs).toEqual([
      { verb: 'Stream', url: 'wss://x.test/twilio/media-stream', parameters: { callToken: 't' } },
    ]);
  });

  it('reads <Dial action timeout callerId><Number url> and a bare <Dial>number</Dial>', () => {
    const xml = `<Response><Dial action="/twilio/dial-status" timeout="20" callerId="+15125550100">
      <Number url="/twilio/whisper">+15125550147</Number></Dial><Say>After</Say></Response>`;
    expect(parseTwiml(xml)).toEqual([
      {
        verb: 'Dial',
        action: '/twilio/dial-status',
        timeout: 20,
        callerId: '+15125550100',
        targets: [{ type: 'Number', value: '+15125550147', url: '/twilio/whisper' }],
      },
      { verb: 'Say', text: 'After' },
    ]);
    expect(parseTwiml('<Response><Dial>+15125550147</Dial></Response>')).toEqual([
      { verb: 'Dial', targets: [{ type: 'text', value: '+15125550147' }] },
    ]);
  });

  it('keeps Pause, Redirect and Play, and marks other verbs unsupported', () => {
    expect(
      parseTwiml(
        '<Response><Pause length="2"/><Play>https://x.test/a.mp3</Play><Gather/><Redirect>/next</Redirect></Response>',
      ),
    ).toEqual([
      { verb: 'Pause', seconds: 2 },
      { verb: 'Play', url: 'https://x.test/a.mp3' },
      { verb: 'Unsupported', name: 'Gather' },
      { verb: 'Redirect', url: '/next' },
    ]);
    expect(parseTwiml('<Response/>')).toEqual([]);
  });

  it('rejects malformed XML, a missing <Response> and a relay without url', () => {
    expect(() => parseTwiml('<Response><Say>hi</Response>')).toThrow(TwimlError);
    expect(() => parseTwiml('<html><body>502 Bad Gateway</body></html>')).toThrow(/no <Response>/);
    expect(() => parseTwiml('not xml at all')).toThrow(TwimlError);
    expect(() => parseTwiml('<Response><Connect><ConversationRelay/></Connect></Response>')).toThrow(/no url/);
  });

  it('resolves relative TwiML URLs against the document URL', () => {
    expect(resolveTwimlUrl('/twilio/relay-action', 'https://voice.example.test/twilio/voice')).toBe(
      'https://voice.example.test/twilio/relay-action',
    );
    expect(resolveTwimlUrl('dial-status?x=1', 'https://voice.example.test/twilio/voice')).toBe(
      'https://voice.example.test/twilio/dial-status?x=1',
    );
    expect(resolveTwimlUrl('https://other.test/a', 'https://voice.example.test/twilio/voice')).toBe(
      'https://other.test/a',
    );
  });
});
