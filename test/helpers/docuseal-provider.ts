import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { SignatureRequest } from '../../src/domain/contracts/esignature.port.ts';
import { DocuSealProvider, type DocuSealProviderOptions } from '../../src/integrations/docuseal/docuseal-provider.ts';
import { ProviderError } from '../../src/integrations/docuseal/provider-error.ts';
import { FakeDocuSealServer } from '../fakes/docuseal/fake-docuseal-server.ts';

/**
 * The file's fake DocuSeal (templates 1001: Seller, Buyer; 2002: Seller, Co-Seller, Buyer), started before its
 * tests, reset before each and closed after; `provider` makes an adapter on it with quick retries.
 */
export function useDocuSealFake(): {
  readonly fake: FakeDocuSealServer;
  provider(overrides?: Partial<DocuSealProviderOptions>): DocuSealProvider;
} {
  let fake: FakeDocuSealServer | undefined;
  beforeAll(async () => {
    fake = await FakeDocuSealServer.start({
      templates: { 1001: ['Seller', 'Buyer'], 2002: ['Seller', 'Co-Seller', 'Buyer'] },
    });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake?.reset();
  });
  const started = (): FakeDocuSealServer => {
    if (!fake) throw new Error('the fake DocuSeal is not started yet');
    return fake;
  };
  return {
    get fake() {
      return started();
    },
    provider: (overrides = {}) =>
      new DocuSealProvider({
        apiKey: started().apiKey,
        baseUrl: started().url,
        timeoutMs: 2_000,
        maxRetries: 2,
        retryBaseDelayMs: 1,
        retryMaxDelayMs: 50,
        ...overrides,
      }),
  };
}

/** A sequential request for template 1001: seller, then buyer (given out of order: the adapter sorts). */
export function signatureRequest(overrides: Partial<SignatureRequest> = {}): SignatureRequest {
  return {
    providerTemplateId: '1001',
    documentName: 'Purchase agreement – 141 Elm St',
    order: 'sequential',
    externalId: 'contract-77',
    message: 'Please review and sign.',
    expiresAt: new Date('2030-01-31T17:00:00.000Z'),
    // Deliberately out of order: the adapter sorts by `order`.
    signers: [
      { name: 'Bea Buyer', email: 'bea@example.com', role: 'Buyer', order: 2, externalId: 'signer-2' },
      { name: 'Sam Seller', email: 'sam@example.com', role: 'Seller', order: 1, externalId: 'signer-1' },
    ],
    ...overrides,
  };
}

/** The ProviderError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}
