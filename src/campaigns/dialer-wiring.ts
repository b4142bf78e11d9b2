import { hostname } from 'node:os';
import type { Config } from '../config.ts';
import type { Orm } from '../db/orm.ts';
import type { OutboundDialer } from '../domain/campaigns/dialer.port.ts';
import { TwilioOutboundDialer } from '../integrations/twilio/outbound-dialer.ts';
import { VapiOutboundDialer } from '../integrations/vapi/outbound-dialer.ts';
import type { Logger } from '../log.ts';
import type { DomainServices } from '../services.ts';
import { CampaignDialer } from './campaign-dialer.ts';

/**
 * The campaign dialer's wiring from the config: the carrier that dials (Twilio or Vapi, whichever is configured;
 * DIALER_PROVIDER picks when both are), where it reports progress and connects answered calls on this service,
 * and this instance's name in claims.
 */

/** The carrier that dials campaigns: Twilio or Vapi, whichever is configured (DIALER_PROVIDER picks), else none. */
function buildOutboundDialer(config: Config): OutboundDialer | null {
  const twilio =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? () =>
          new TwilioOutboundDialer({
            accountSid: config.TWILIO_ACCOUNT_SID!,
            authToken: config.TWILIO_AUTH_TOKEN!,
            apiBaseUrl: config.TWILIO_API_BASE_URL,
          })
      : null;
  const vapi =
    config.VAPI_API_KEY && config.VAPI_PHONE_NUMBER_ID
      ? () =>
          new VapiOutboundDialer({
            apiKey: config.VAPI_API_KEY!,
            phoneNumberId: config.VAPI_PHONE_NUMBER_ID!,
            apiBaseUrl: config.VAPI_API_BASE_URL,
          })
      : null;
  const pick = config.DIALER_PROVIDER === 'vapi' ? (vapi ?? twilio) : (twilio ?? vapi);
  return pick ? pick() : null;
}

/** The outbound campaign dialer, when a carrier is configured (Twilio account, or Vapi key + phone-number id). */
export function buildCampaignDialer(
  config: Config,
  deps: { orm: Orm; services: DomainServices; log: Logger },
): CampaignDialer | null {
  const carrier = buildOutboundDialer(config);
  if (!carrier) return null;
  return new CampaignDialer({
    ...deps,
    dialer: carrier,
    instanceId: `${hostname()}:${process.pid}`,
    urls:
      carrier.provider === 'vapi'
        ? { callback: `${config.publicUrl}/vapi/webhook`, answer: `${config.publicUrl}/vapi/chat/completions` }
        : { callback: `${config.publicUrl}/twilio/dial-events`, answer: `${config.publicUrl}/twilio/outbound` },
  });
}
