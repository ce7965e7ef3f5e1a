import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumRequirement, launchChromium } from '../support/chromium.ts';
import { killGroup, type NpmStart, npmStart } from '../support/npmStart.ts';
import { describeWith } from '../support/requirement.ts';
import { createSchema, describeOn, primaryBackend } from '../support/testDatabase.ts';

/** Screenshots land here (git-ignored); CI keeps the folder as an artifact. */
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');

const SIZES = [
  { name: 'console-1280x800', width: 1280, height: 800 },
  { name: 'console-narrow-390x844', width: 390, height: 844 },
] as const;

/** The number a flow stage shows in large, e.g. written in the database stage. */
const stageCount = async (page: Page, stage: string): Promise<number> =>
  Number(((await page.locator(`[data-stage="${stage}"] .big`).textContent()) ?? '').replace(/,/g, ''));

describeWith(chromiumRequirement, 'the local console in Chromium', () => {
  describeOn(primaryBackend, 'against npm start on $name', (backend) => {
    let app: NpmStart;
    let browser: Browser;
    let page: Page;
    let cleanUp: () => Promise<void> = async () => {};
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ingesta-console-'));
      const schema =
        backend.name === 'PostgreSQL' ? await createSchema(process.env.DATABASE_URL ?? '') : undefined;
      cleanUp = async () => {
        rmSync(dataDir, { recursive: true, force: true });
        await schema?.drop();
      };
      // A short visibility timeout: a poison message is dead-lettered within seconds, not minutes.
      app = await npmStart({
        INGESTA_DATA_DIR: dataDir,
        DATABASE_URL: schema?.url,
        LOCAL_VISIBILITY_TIMEOUT_S: '2',
        LOCAL_MAX_RECEIVE_COUNT: '3',
      });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      const response = await page.goto(`${app.url}/_local/`);
      expect(response?.status()).toBe(200);
      await page.locator('#connection', { hasText: /^Live/ }).waitFor({ timeout: 15_000 });
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      if (app !== undefined) {
        killGroup(app.child, 'SIGTERM');
        await app.exited;
      }
      await cleanUp();
    });

    it('posts a user through the form, answers 202, and shows the row once it lands', async () => {
      await page.getByLabel('Name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill('Ada@Example.com');
      await page.getByRole('button', { name: 'POST /users' }).click();

      await expect.poll(() => page.locator('#user-status').textContent()).toMatch(/202 Accepted|Landed/);
      await expect
        .poll(() => page.locator('#user-status').textContent(), { timeout: 15_000 })
        .toMatch(/^Landed: ada@example\.com is user \d+ in the database/);
      await expect.poll(() => page.locator('#newest tbody tr[data-email="ada@example.com"]').count()).toBe(1);
      await expect.poll(() => page.locator('#browse tbody tr[data-email="ada@example.com"]').count()).toBe(1);
      // The stage counts come over the live stream on their own tick, not with the row: wait for them too.
      await expect.poll(() => stageCount(page, 'database')).toBeGreaterThanOrEqual(1);
    });

    it('shows a poison message in the DLQ with its error, and redrives it back through the queue', async () => {
      await page.getByRole('button', { name: 'Send a poison message' }).click();

      const row = page.locator('#dlq tbody tr[data-message-id]');
      await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('3');
      await expect.poll(() => row.locator('td.error').textContent()).toBe('The message body is not JSON.');
      await expect.poll(() => stageCount(page, 'dlq')).toBe(1);
      await expect.poll(() => page.locator('[data-stage="dlq"]').getAttribute('class')).toMatch(/problem/);

      // By keyboard: the button keeps its focus while the page updates every second.
      await row.getByRole('button', { name: /^Redrive message/ }).focus();
      await page.waitForTimeout(1_500);
      await page.keyboard.press('Enter');

      // Back in the queue (the DLQ empties), then, still poison, dead-lettered again after its receives.
      await expect.poll(() => stageCount(page, 'dlq'), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => stageCount(page, 'dlq'), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => stageCount(page, 'subscriber')).toBeGreaterThan(0);
    });

    it('deletes a dead letter only once the confirmation is accepted', async () => {
      await page.getByRole('button', { name: 'Send a poison message' }).click();
      const rows = page.locator('#dlq tbody tr[data-message-id]');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
      const target = rows.first();
      const id = await target.getAttribute('data-message-id');

      page.once('dialog', (dialog) => void dialog.dismiss());
      await target.getByRole('button', { name: /^Delete message/ }).click();
      await page.waitForTimeout(1_500);
      expect(await page.locator(`#dlq tr[data-message-id="${id}"]`).count()).toBe(1);

      page.once('dialog', (dialog) => void dialog.accept());
      await target.getByRole('button', { name: /^Delete message/ }).click();
      await expect.poll(() => page.locator(`#dlq tr[data-message-id="${id}"]`).count()).toBe(0);
      await expect.poll(() => stageCount(page, 'dlq')).toBe(1);
    });

    it('sends 1,000 users with its own control and counts all of them written, without a console error', async () => {
      const before = await stageCount(page, 'database');
      await page.getByLabel('How many').fill('1000');
      await page.getByRole('button', { name: 'Send', exact: true }).click();

      await expect
        .poll(() => page.locator('#load-status').textContent(), { timeout: 60_000 })
        .toMatch(/^Done: 1,000 of 1,000 accepted/);
      await expect.poll(() => stageCount(page, 'database'), { timeout: 30_000 }).toBe(before + 1000);
      await expect.poll(() => stageCount(page, 'api')).toBeGreaterThanOrEqual(1001);
      await expect.poll(() => page.locator('#slos tbody tr').count()).toBe(3);

      mkdirSync(ARTIFACTS, { recursive: true });
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(1_200); // one more snapshot at this size
        await page.screenshot({ path: join(ARTIFACTS, `${size.name}.png`) });
        await page.screenshot({ path: join(ARTIFACTS, `${size.name}-full.png`), fullPage: true });
      }
      expect(pageErrors).toEqual([]);
    }, 120_000);
  });
});
