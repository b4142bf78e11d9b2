import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import { CampaignDriver } from '../../call-flows/campaign-driver.ts';
import { ensureConsoleBuilt } from '../../src/cli/build-console.ts';
import { readSalesFile } from '../../src/cli/import-sales.ts';
import { placeCall } from '../../src/softphone/index.ts';
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
const CALLER = '+15125550188';
const CALLER_SHOWN = '(512) 555-0188';

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
  // Recorded sales of one Seattle ZIP (King County, public data) so a property there has comps to show.
  const sales = (await readSalesFile(resolve(ROOT, '../shared/data/kc_house_sales.csv'), 'kc')).filter(
    (r) => r.zip === '98103',
  );
  await server.ctx.services.sales.insert(server.ctx.orm.em.fork(), 'king_county', sales);
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
    await page.evaluate('document.activeElement?.blur()');
  });

  it('shows a phone call placed by the softphone live, streams its transcript, then opens its review', async () => {
    await page.getByRole('status').filter({ hasText: 'Live updates on' }).waitFor();
    const call = await placeCall({ authToken: fake.authToken, server: server.base, from: CALLER, to: line.line });
    const article = page.getByRole('article', { name: `Inbound call from ${CALLER_SHOWN}` });
    await article.waitFor();
    const reply = await call.say('Is 141 Elm Street still available?');
    expect(reply).toBeTruthy();
    await article.getByText('Is 141 Elm Street still available?').waitFor();
    await article
      .getByText(reply!.split(/(?<=[.?!])\s/)[0]!, { exact: false })
      .first()
      .waitFor();
    await screenshot(page, '02-live-call');

    await call.hangup();
    const ended = page
      .getByRole('region', { name: 'Recently ended' })
      .getByRole('link', { name: `Inbound call from ${CALLER_SHOWN}` });
    await ended.waitFor();
    expect(await article.count()).toBe(0);
    await ended.click();
    await page.getByRole('heading', { level: 1, name: `Inbound call from ${CALLER_SHOWN}` }).waitFor();
    await page.getByRole('list', { name: 'Transcript' }).getByText('Is 141 Elm Street still available?').waitFor();
    await page.getByRole('img', { name: /Latency per agent reply/ }).waitFor();
    await screenshot(page, '03-call-review');

    // The history lists it, and the filters narrow it down (by the line it came in on).
    await page.getByRole('link', { name: 'All calls' }).click();
    await page.getByLabel('Line').fill(line.line);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page
      .getByRole('link', { name: /^Review\W+Inbound call from \(512\) 555-0188/ })
      .first()
      .waitFor();
    expect(page.url()).toContain('line=');
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

  it('creates a campaign, enrols numbers, starts it against the fake Twilio and watches it complete', async () => {
    const numbers = ['+15125551101', '+15125551102', '+15125551103', '+15125551104', '+15125551105'];
    // Prior express consent for all but the last number (recorded through the same API, with the session cookie).
    for (const phone of numbers.slice(0, -1)) {
      const res = await page.request.post('/api/consents', {
        data: {
          phone,
          type: 'pec',
          source: 'open house sign-in sheet',
          evidence: 'signed sheet, line 4',
          given_at: '2026-10-03T11:00:00-05:00',
        },
      });
      expect(res.status()).toBe(201);
    }
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Name').fill('Just listed: 141 Elm St');
    await form.getByLabel('Purpose').selectOption({ label: 'Just listed' });
    await expect.poll(() => form.getByLabel('Caller ID').inputValue()).toBe(line.line);
    await form.getByRole('checkbox', { name: /Telemarketing/ }).uncheck();
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Just listed: 141 Elm St' }).waitFor();
    const id = Number(/\/campaigns\/(\d+)/.exec(page.url())![1]);

    await page.getByLabel('Phone numbers, one per line').fill(numbers.join('\n'));
    await page.getByRole('button', { name: 'Enrol' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 5 of 5' }).waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('status').filter({ hasText: 'Live: updates every 2 seconds' }).waitFor();

    const driver = new CampaignDriver({
      server,
      fake,
      line,
      campaignId: id,
      start: new Date('2026-12-08T15:00:00-06:00'),
    });
    let watched = false;
    for (let minute = 0; minute < 30; minute++) {
      await driver.minute();
      if (!watched && (await page.getByText('Dialing').count())) {
        await screenshot(page, '06-campaign-running');
        watched = true;
      }
      const status = ((await (await page.request.get(`/api/campaigns/${id}`)).json()) as { status: string }).status;
      if (status === 'completed') break;
    }
    await page.getByText('Completed', { exact: true }).first().waitFor();
    const byStatus = page.getByRole('region', { name: 'Progress' });
    await expect.poll(async () => byStatus.textContent()).toMatch(/Blocked by rule\s*1/);
    await page.getByRole('img', { name: /Call outcomes/ }).waitFor();
    const audit = page.getByRole('table', { name: /Dial decisions/ });
    await audit.getByText('Blocked').first().waitFor();
    await audit
      .getByText(/consent/i)
      .first()
      .waitFor();
    // Every number with where it ended: the one without consent blocked, the answered ones linked to their calls.
    const targets = page.getByRole('table', { name: /^Targets in enrolment order \(1–5 of 5\)/ });
    await targets.getByRole('row').filter({ hasText: '(512) 555-1105' }).getByText('Blocked by rule').first().waitFor();
    const review = targets.getByRole('link', { name: /the call with \(512\) 555-1101/ });
    expect(await review.getAttribute('href')).toMatch(/^\/console\/calls\/CA/);
    await screenshot(page, '07-campaign-completed');
  });

  it('shows the pipeline board and a property page', async () => {
    await page.getByRole('link', { name: 'Pipeline' }).click();
    const board = page.getByRole('region', { name: 'Pipeline board' });
    await board.getByRole('link', { name: /141 Elm St/ }).waitFor();
    await page.getByRole('region', { name: 'Follow-up queue' }).waitFor();
    await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
    await screenshot(page, '08-pipeline');
    await board.getByRole('link', { name: /141 Elm St/ }).click();
    await page.getByRole('heading', { level: 1, name: /141 Elm St/ }).waitFor();
    await page.getByRole('region', { name: 'Contracts readiness' }).waitFor();
    await page.getByRole('region', { name: 'Valuation and comps' }).waitFor();
    await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
    await screenshot(page, '09-property');

    // A Seattle house among recorded sales: its value from comps, drawn as price against distance.
    const created = await page.request.post('/api/properties', {
      data: {
        address: '100 Test Ave N',
        city: 'Seattle',
        state: 'WA',
        zip_code: '98103',
        bedrooms: 3,
        bathrooms: 2.5,
        square_feet: 1380,
        year_built: 2000,
        latitude: 47.6908,
        longitude: -122.341,
        price: 749000,
      },
    });
    expect(created.status()).toBe(201);
    await page.goto(`/console/properties/${((await created.json()) as { id: number }).id}`);
    await page.getByRole('img', { name: /Comp sale price vs distance: \d+ points/ }).waitFor();
    await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
    await screenshot(page, '10-property-comps');
  });

  it('fits a phone screen (375 px): no sideways scrolling, navigation still reachable', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [name, link] of [
      ['11-phone-live-calls', 'Live calls'],
      ['12-phone-campaigns', 'Campaigns'],
      ['13-phone-pipeline', 'Pipeline'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: link === 'Live calls' ? 'Live calls' : link }).waitFor();
      await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
      await screenshot(page, name);
      expect(await page.evaluate('document.documentElement.scrollWidth'), name).toBeLessThanOrEqual(375);
    }
  });
});
