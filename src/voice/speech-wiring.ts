import type { SpeechToText, TextToSpeech } from '../call-runtime/speech.port.ts';
import type { Config } from '../config.ts';
import { ElevenLabsTextToSpeech } from '../integrations/elevenlabs/index.ts';
import { OpenAiRealtimeSpeechToText, OpenAiTextToSpeech } from '../integrations/llm/index.ts';
import type { Logger } from '../log.ts';
import { FakeSpeechToText } from './fakes/fake-stt.ts';
import { FakeTextToSpeech } from './fakes/fake-tts.ts';
import { SpokenTextToSpeech } from './spoken-tts.ts';
import { FailoverTextToSpeech } from './tts-failover.ts';

/**
 * Speech for the Media Streams audio path, from the config: the speech vendors that are configured (OpenAI
 * recognition; ElevenLabs synthesis with OpenAI's as its failover), else the fakes.
 */
export function buildSpeech(config: Config, log: Logger): { stt: SpeechToText; tts: TextToSpeech } {
  return {
    stt: config.OPENAI_API_KEY
      ? new OpenAiRealtimeSpeechToText({
          apiKey: config.OPENAI_API_KEY,
          model: config.OPENAI_STT_MODEL,
          ...(config.OPENAI_STT_URL ? { url: config.OPENAI_STT_URL } : {}),
          log,
        })
      : new FakeSpeechToText(),
    tts: buildTextToSpeech(config, log),
  };
}

/** ElevenLabs first, OpenAI speech as its failover; whichever is configured alone; else the fake. */
function buildTextToSpeech(config: Config, log: Logger): TextToSpeech {
  const eleven = config.ELEVENLABS_API_KEY
    ? new ElevenLabsTextToSpeech({
        apiKey: config.ELEVENLABS_API_KEY,
        voiceId: config.ELEVENLABS_VOICE_ID,
        baseUrl: config.ELEVENLABS_BASE_URL,
        modelId: config.ELEVENLABS_MODEL,
        log,
      })
    : null;
  const openai = config.OPENAI_API_KEY
    ? new OpenAiTextToSpeech({
        apiKey: config.OPENAI_API_KEY,
        ...(config.OPENAI_BASE_URL ? { baseUrl: config.OPENAI_BASE_URL } : {}),
        model: config.OPENAI_TTS_MODEL,
        voice: config.OPENAI_TTS_VOICE,
      })
    : null;
  // Vendors read "$1,249,000" or "#4B" badly: they get the words a person would say.
  const vendor = eleven && openai ? new FailoverTextToSpeech(eleven, openai, { log }) : (eleven ?? openai);
  return vendor ? new SpokenTextToSpeech(vendor) : new FakeTextToSpeech();
}
