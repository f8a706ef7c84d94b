// Issue 12, a real browser (`npm run test:e2e`, run by .ci/run): `npm start`'s GraphiQL loads in headless
// Chromium (Debian's package, driven by playwright-core) from this server alone, runs its WhoAmI query
// with a demo user's token typed into the headers editor, and the answer appears on the page. A
// screenshot goes to data/e2e/graphiql.png (git-ignored) for whoever looks at the run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer, tokenFor } from '../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'data', 'e2e');

const stops: (() => void)[] = [];
let dataDir = '';
let server: Running;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  dataDir = mkdtempSync(join(tmpdir(), 'threshold-e2e-'));
  server = await startServer(dataDir, (stop) => stops.push(stop));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const stop of stops) stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GraphiQL in a real browser', { timeout: 120_000 }, () => {
  it('loads from this server only, runs WhoAmI with a demo token, and shows the answer', async () => {
    const token = await tokenFor('alice@harbor-eng.example');
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (
        !request.url().startsWith(server.url) &&
        !request.url().startsWith('data:') &&
        !request.url().startsWith('blob:')
      ) {
        foreign.push(request.url());
      }
    });
    await page.goto(`${server.url}/graphql`);
    await page.locator('.graphiql-execute-button').first().waitFor({ timeout: 60_000 });
    // The headers editor: open it, replace its text with the demo user's token.
    await page
      .getByRole('button', { name: /headers/i })
      .first()
      .click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
    await page.locator('.graphiql-execute-button').first().click();
    const result = page.locator('.graphiql-response');
    await expect.poll(async () => result.innerText(), { timeout: 30_000 }).toContain('alice@harbor-eng.example');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png'), fullPage: true });
    expect(foreign, 'everything came from this server').toEqual([]);
  });
});
