/**
 * One dialer instance in a process of its own, for the durability tests: the service's context on
 * DATABASE_URL (no jobs, no HTTP), a CampaignDialer dialing through the fake Twilio at DIALER_TWILIO_URL,
 * ticking every 50 ms over one campaign (DIALER_CAMPAIGN) at a fixed time (a Tuesday afternoon in Austin, so the gate's hours always pass).
 * Prints "ready" once ticking; runs until killed.
 */
import { CampaignDialer } from '../../src/campaigns/campaign-dialer.ts';
import { loadConfig } from '../../src/config.ts';
import { TwilioOutboundDialer } from '../../src/integrations/twilio/outbound-dialer.ts';
import { createLogger } from '../../src/log.ts';
import { buildContext } from '../../src/services.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const config = loadConfig({ DATABASE_URL: env('DATABASE_URL'), LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' });
const log = createLogger({ level: 'silent' });
const ctx = await buildContext(config, log, { jobs: false });
const dialer = new CampaignDialer({
  orm: ctx.orm,
  services: ctx.services,
  dialer: new TwilioOutboundDialer({
    accountSid: env('DIALER_TWILIO_SID'),
    authToken: env('DIALER_TWILIO_TOKEN'),
    apiBaseUrl: env('DIALER_TWILIO_URL'),
  }),
  log,
  instanceId: env('DIALER_INSTANCE'),
  urls: { callback: 'http://127.0.0.1:9/twilio/dial-events', answer: 'http://127.0.0.1:9/twilio/outbound' },
  now: () => new Date('2026-12-08T21:00:00Z'),
});
// Only the test's campaign: other test files share the database.
dialer.start(50, { campaignId: Number(env('DIALER_CAMPAIGN')) });
// Keep the process alive (the dialer's timer is unref'd).
setInterval(() => undefined, 1_000);
process.stdout.write('ready\n');
