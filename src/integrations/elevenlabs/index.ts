export {
  ELEVENLABS_DEFAULT_BASE_URL,
  ELEVENLABS_DEFAULT_MODEL,
  ElevenLabsSession,
  ElevenLabsTextToSpeech,
  type ElevenLabsTtsOptions,
} from './elevenlabs-tts.ts';
export type { ElevenLabsVoiceSettings } from './multi-stream-connection.ts';
