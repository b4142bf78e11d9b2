import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isHttpUrl, isRecord, sendJson } from '../http-fake.ts';

/**
 * The calls of the fake Vapi API (fake-vapi-api.ts): a CreateCallDto checked as Vapi's validation checks it, the
 * artifact an ended call reports, and Vapi's (NestJS) error answer.
 */

export interface FakeVapiCall {
  id: string;
  phoneNumberId: string;
  customerNumber: string;
  assistant: Record<string, unknown> | null;
  assistantId: string | null;
  status: 'queued' | 'ringing' | 'in-progress' | 'ended';
  endedReason: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Bodies POSTed to its control URL. */
  controls: Record<string, unknown>[];
}

/** Top-level properties of CreateCallDto (server-sdk-typescript `CreateCallDto`). */
const CREATE_CALL_KEYS = new Set([
  'assistantVersion',
  'transport',
  'customers',
  'name',
  'schedulePlan',
  'assistantId',
  'assistant',
  'assistantOverrides',
  'squadId',
  'squad',
  'squadOverrides',
  'workflowId',
  'workflow',
  'workflowOverrides',
  'phoneNumberId',
  'phoneNumber',
  'customerId',
  'customer',
]);
const VOICEMAIL_PROVIDERS = new Set(['vapi', 'google', 'openai', 'twilio']);
const E164 = /^\+[1-9]\d{1,14}$/;
const GREETING = "Hi, you've reached Sam. Leave a message after the tone.";

export class VapiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string | string[],
  ) {
    super(Array.isArray(messages) ? messages.join('; ') : messages);
  }
}

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Vapi's error `{message: string | string[], error, statusCode}`. */
export function sendVapiError(res: ServerResponse, status: number, message: string | string[]): void {
  sendJson(res, status, { message, error: ERROR_NAMES[status] ?? 'Error', statusCode: status });
}

/** A queued call from a CreateCallDto, checked as Vapi does (throws VapiHttpError). */
export function newVapiCall(body: unknown, phoneNumbers: Record<string, string>): FakeVapiCall {
  if (!isRecord(body)) throw new VapiHttpError(400, ['body must be an object']);
  const problems: string[] = [];
  for (const key of Object.keys(body))
    if (!CREATE_CALL_KEYS.has(key)) problems.push(`property ${key} should not exist`);
  const phoneNumberId = body.phoneNumberId;
  if (typeof phoneNumberId !== 'string' || !phoneNumberId) problems.push('phoneNumberId must be a string');
  const customer = body.customer;
  const number = isRecord(customer) ? customer.number : undefined;
  if (typeof number !== 'string' || !E164.test(number)) {
    // Vapi's own wording is unverified; it checks E.164 unless customer.numberE164CheckEnabled is false.
    problems.push('customer.number must be a valid phone number in the E.164 format');
  }
  const hasAssistant = body.assistant !== undefined;
  const hasAssistantId = body.assistantId !== undefined;
  if (hasAssistant === hasAssistantId) problems.push('exactly one of assistant or assistantId must be given');
  if (hasAssistant) problems.push(...assistantProblems(body.assistant));
  if (problems.length) throw new VapiHttpError(400, problems);
  if (!phoneNumbers[phoneNumberId as string]) {
    throw new VapiHttpError(400, `Couldn't Get Phone Number. Phone Number ${String(phoneNumberId)} Not Found`); // marked
  }
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    phoneNumberId: phoneNumberId as string,
    customerNumber: number as string,
    assistant: hasAssistant ? (body.assistant as Record<string, unknown>) : null,
    assistantId: hasAssistantId ? String(body.assistantId) : null,
    status: 'queued',
    endedReason: null,
    createdAt: now,
    startedAt: null,
    endedAt: null,
    controls: [],
  };
}

/** What was said on an answered call, as Vapi's artifact (`transcript`, `messages` with roles user/bot). */
export function artifactOf(call: FakeVapiCall): Record<string, unknown> {
  if (call.endedReason !== 'voicemail') {
    return { transcript: 'AI: Hello, this is an AI assistant calling for Dana Realtor.\n', messages: [] };
  }
  const left = call.assistant?.voicemailMessage;
  const said = [
    { role: 'user', message: GREETING },
    ...(typeof left === 'string' ? [{ role: 'bot', message: left }] : []),
  ];
  return {
    transcript: said.map((m) => `${m.role === 'bot' ? 'AI' : 'User'}: ${m.message}\n`).join(''),
    messages: said,
  };
}

function assistantProblems(assistant: unknown): string[] {
  if (!isRecord(assistant)) return ['assistant must be an object'];
  const out: string[] = [];
  if (assistant.name !== undefined && (typeof assistant.name !== 'string' || assistant.name.length > 40)) {
    out.push('assistant.name must be shorter than or equal to 40 characters');
  }
  if (assistant.server !== undefined) {
    const server = assistant.server;
    if (!isRecord(server) || typeof server.url !== 'string' || !isHttpUrl(server.url)) {
      out.push('assistant.server.url must be a URL address');
    }
  }
  if (assistant.serverMessages !== undefined && !Array.isArray(assistant.serverMessages)) {
    out.push('assistant.serverMessages must be an array');
  }
  if (assistant.metadata !== undefined && !isRecord(assistant.metadata)) {
    out.push('assistant.metadata must be an object');
  }
  const vmd = assistant.voicemailDetection;
  if (vmd !== undefined && vmd !== 'off') {
    if (!isRecord(vmd) || typeof vmd.provider !== 'string' || !VOICEMAIL_PROVIDERS.has(vmd.provider)) {
      out.push('assistant.voicemailDetection.provider must be one of vapi, google, openai, twilio');
    }
  }
  const vm = assistant.voicemailMessage;
  if (vm !== undefined && (typeof vm !== 'string' || vm.length > 1000)) {
    out.push('assistant.voicemailMessage must be shorter than or equal to 1000 characters');
  }
  const model = assistant.model;
  if (model !== undefined) {
    if (!isRecord(model) || typeof model.provider !== 'string') out.push('assistant.model.provider must be a string');
    else if (model.provider === 'custom-llm' && (typeof model.url !== 'string' || !isHttpUrl(model.url))) {
      out.push('assistant.model.url must be a URL address');
    }
  }
  return out;
}
