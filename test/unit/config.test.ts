import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('config', () => {
  it('has working defaults with no settings at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      PGLITE_DIR: '.data/pglite',
      SEED_DEMO: true,
      LOG_PII: false,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('fails fast naming each invalid setting', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/DATABASE_URL: must be a postgres/);
      expect(msg).toMatch(/LOG_LEVEL/);
    }
  });

  it('takes PUBLIC_URL without a trailing slash and ignores empty values', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://voice.example.com/', DATABASE_URL: '' }).publicUrl).toBe(
      'https://voice.example.com',
    );
    expect(loadConfig({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
  });
});
