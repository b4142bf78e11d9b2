import { z } from 'zod';

/**
 * The one validated configuration, read once at boot by the composition root.
 * Domain code never reads process.env; it receives what it needs from here.
 */
const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** When set, PostgreSQL is used instead of the embedded PGlite. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Directory of the embedded PGlite database; ':memory:' keeps it in memory. */
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  /** Run the embedded PGlite on a thread of its own (its WASM queries then never hold up calls). */
  PGLITE_THREAD: boolFromEnv.default(true),
  /** Public base URL that Twilio and other vendors use to reach this service. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Show PII (phone numbers, emails, transcripts) in logs. Never enable in production. */
  LOG_PII: boolFromEnv.default(false),
  /** The admin console's production build, served at /console (built by npm ci and by npm start). */
  CONSOLE_DIR: z.string().min(1).default('console/dist'),
  /** Seed a demo agent with demo listings on first start. */
  SEED_DEMO: boolFromEnv.default(true),
  /** Run the job engine (pipeline checks, due tasks, digests) in this process. */
  JOBS_ENABLED: boolFromEnv.default(true),
  /** DocuSeal e-signature: without a key, contracts are signed on paper and recorded by hand. */
  DOCUSEAL_API_KEY: z.string().min(1).optional(),
  DOCUSEAL_URL: z.url().default('https://api.docuseal.com'),
  /** Shared secret of the HMAC-SHA256 over the raw body in X-DocuSeal-Signature (sha256=<hex>). */
  DOCUSEAL_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** DocuSeal's own timestamped webhook signing secret (whsec_…), if DocuSeal signs directly. */
  DOCUSEAL_SIGNING_SECRET: z.string().min(8).optional(),
  /** JSON map of our template keys to DocuSeal template ids, e.g. {"tx_purchase_contract": 1001}. */
  DOCUSEAL_TEMPLATE_IDS: z
    .string()
    .transform((s, ctx) => {
      try {
        const v = JSON.parse(s) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          return Object.fromEntries(Object.entries(v).map(([k, id]) => [k, String(id)]));
        }
      } catch {
        /* reported below */
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of template key → DocuSeal template id' });
      return z.NEVER;
    })
    .default({}),
  /** Twilio: webhooks are refused unless signed with this token (the local softphone signs with it too). */
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Twilio account for outbound campaign calls (with TWILIO_AUTH_TOKEN); without it campaigns do not dial. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
    .optional(),
  /** Twilio REST API origin (tests and demos point it at the fake Twilio on 127.0.0.1). */
  TWILIO_API_BASE_URL: z.url().default('https://api.twilio.com'),
  /** How often the campaign dialer looks for due targets, in ms. */
  DIALER_TICK_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
  /** How inbound calls reach the runtime: Twilio ConversationRelay (text) or Media Streams (audio). */
  VOICE_TRANSPORT: z.enum(['conversation-relay', 'media-stream']).default('conversation-relay'),
  /** Caller silence (after the reply has played) before "are you still there?", and again before hanging up. */
  CALL_SILENCE_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
  /** Longest call the receptionist keeps going before wrapping up. */
  CALL_MAX_DURATION_S: z.coerce
    .number()
    .int()
    .min(10)
    .max(4 * 3600)
    .default(900),
  /** Playback estimate per spoken word (silence timing, goodbye before hang-up). */
  CALL_SPEECH_MS_PER_WORD: z.coerce.number().int().min(0).max(2_000).default(330),
  /** Media Streams audio path: speech-to-text → brain → text-to-speech, or OpenAI Realtime speech-to-speech. */
  VOICE_PIPELINE: z.enum(['cascaded', 'realtime']).default('cascaded'),
  /** ElevenLabs text-to-speech (primary TTS when set; OpenAI speech is the failover when OPENAI_API_KEY is set). */
  ELEVENLABS_API_KEY: z.string().min(1).optional(),
  ELEVENLABS_BASE_URL: z.url().default('https://api.elevenlabs.io'),
  ELEVENLABS_VOICE_ID: z.string().min(1).default('21m00Tcm4TlvDq8ikWAM'),
  ELEVENLABS_MODEL: z.string().min(1).default('eleven_flash_v2_5'),
  /** OpenAI speech: text-to-speech model/voice, streaming transcription model, Realtime URL/model/voice. */
  OPENAI_TTS_MODEL: z.string().min(1).default('gpt-4o-mini-tts'),
  OPENAI_TTS_VOICE: z.string().min(1).default('alloy'),
  OPENAI_STT_MODEL: z.string().min(1).default('gpt-4o-mini-transcribe'),
  /** Realtime transcription endpoint (default OpenAI's, `?intent=transcription`). */
  OPENAI_STT_URL: z.url().optional(),
  OPENAI_REALTIME_URL: z.url().default('wss://api.openai.com/v1/realtime'),
  OPENAI_REALTIME_MODEL: z.string().min(1).default('gpt-realtime'),
  OPENAI_REALTIME_VOICE: z.string().min(1).default('alloy'),
  /** Vapi server URL auth: the shared secret Vapi sends (Authorization: Bearer or X-Vapi-Secret). */
  VAPI_SERVER_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Vapi server URL auth: HMAC-SHA256 secret (x-vapi-signature over "timestamp.body", x-vapi-timestamp). */
  VAPI_HMAC_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Vapi outbound dialing (campaigns): the private API key, the API origin, and the phone-number id that calls. */
  VAPI_API_KEY: z.string().min(1).optional(),
  VAPI_API_BASE_URL: z.url().default('https://api.vapi.ai'),
  VAPI_PHONE_NUMBER_ID: z.string().min(1).optional(),
  /** Which carrier dials campaigns when both are configured. */
  DIALER_PROVIDER: z.enum(['twilio', 'vapi']).optional(),
  /** Answer assistant-request with this saved Vapi assistant instead of a transient one. */
  VAPI_ASSISTANT_ID: z.string().min(1).optional(),
  /** Language model for the LLM-backed variants (contract suggestions, next action, letters, digest). */
  LLM_PROVIDER: z.enum(['openai', 'anthropic']).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  ANTHROPIC_MODEL: z.string().min(1).optional(),
  /** API key of the agent the stdio MCP server acts for. */
  REALTOR_API_KEY: z.string().min(1).optional(),
});

export type Config = z.infer<typeof ConfigSchema> & { publicUrl: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment-like record; throws ConfigError naming each bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = ConfigSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const data = parsed.data;
  const publicUrl = (data.PUBLIC_URL ?? `http://${data.HOST}:${data.PORT}`).replace(/\/+$/, '');
  return { ...data, publicUrl };
}
