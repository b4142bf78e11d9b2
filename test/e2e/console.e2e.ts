import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import { ensureConsoleBuilt } from '../../src/cli/build-console.ts';
import { FakeTwilioApi } from '../fakes/twilio/fake-twilio-api.ts';
import { ROOT } from '../helpers/process.ts';
import { launchChromium, newPage, screenshot } from './browser.ts';

/**
 * The admin console in a real Chromium against the real service (fresh in-memory database, the fake Twilio,
 * the softphone for phone calls): one realtor signs in and uses every page, in order.
 */
let fake: FakeTwilioApi;
let server: CallServer;
let line: FlowLine;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const dist = resolve(ROOT, 'console/dist');
  await ensureConsoleBuilt(dist, () => {});
  fake = await FakeTwilioApi.start();
  server = await startCallServer({
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
    CONSOLE_DIR: dist,
  });
  line = await newLine(server.ctx);
  browser = await launchChromium();
  ({ context, page } = await newPage(browser, server.base));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  await fake?.close();
});

describe('the console in Chromium', () => {
  it('signs in with the API key (a wrong key is refused) and lands on Live calls', async () => {
    await page.goto('/console/');
    await expect.poll(() => page.getByRole('heading', { name: 'Realtor Voice console' }).isVisible()).toBe(true);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('API key').fill('rv_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();

    await page.getByLabel('API key').fill(line.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByText('Dana Reyes').waitFor();
    // The cookie is HttpOnly: the page's script cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'rv_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
  });

  it('runs a test call with the receptionist and with the realtor’s voice commands', async () => {
    await page.getByRole('link', { name: 'Test call' }).click();
    await page.getByRole('heading', { name: 'Test call', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Start call' }).click();
    const agentLines = page.locator('.transcript li.agent');
    await expect.poll(() => agentLines.count()).toBeGreaterThan(0); // the greeting
    await page.getByLabel('What you say').fill('Do you have any homes with 3 bedrooms?');
    await page.getByRole('button', { name: 'Say', exact: true }).click();
    await expect.poll(() => agentLines.count()).toBeGreaterThan(1);
    await screenshot(page, '04-test-call-receptionist');
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('status').filter({ hasText: 'Call ended' }).waitFor();
    const reviewHref = await page.getByRole('link', { name: 'Review this call' }).getAttribute('href');
    expect(reviewHref).toMatch(/^\/console\/calls\/console%3A/);

    await page.getByLabel('My voice commands (as you, signed in)').check();
    await page.getByRole('button', { name: 'Call again' }).click();
    await expect.poll(() => agentLines.count()).toBeGreaterThan(0);
    await page.getByLabel('What you say').fill('How is my portfolio doing?');
    await page.getByRole('button', { name: 'Say', exact: true }).click();
    await expect.poll(() => agentLines.count()).toBeGreaterThan(1);
    await screenshot(page, '05-test-call-voice-commands');
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('status').filter({ hasText: 'Call ended' }).waitFor();
    // The voice command ran a tool on the realtor's data, recorded on the call.
    const sid = decodeURIComponent(
      (await page.getByRole('link', { name: 'Review this call' }).getAttribute('href'))!.split('/').pop()!,
    );
    const call = (await (await page.request.get(`/api/calls/${encodeURIComponent(sid)}`)).json()) as {
      turns: { role: string; tool_name: string | null }[];
    };
    expect(call.turns.some((t) => t.role === 'tool' && t.tool_name)).toBe(true);
  });
});
