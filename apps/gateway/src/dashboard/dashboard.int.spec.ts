import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateKit, UpdateDeck } from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';

/** The dashboard's kit and dataset lists (search, filters, paging) and their forms, in a real browser. */
const ALICE = randomUUID();

let gw: GatewayHarness;
let browser: Browser;
let page: Page;

const rowsOf = (table: string) => page.locator(`#${table} tr`);
/** Waits until the table shows `count` rows (the lists load asynchronously). */
const rowCount = async (table: string, count: number) => {
  const deadline = Date.now() + 10_000;
  while ((await rowsOf(table).count()) !== count) {
    if (Date.now() > deadline) throw new Error(`#${table} shows ${await rowsOf(table).count()} rows, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const texts = async (table: string, column: number) => rowsOf(table).locator(`td:nth-child(${column})`).allTextContents();

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  const definition = (name: string) =>
    JSON.stringify({
      name,
      description: null,
      defaultParams: {},
      projectId: null,
      archived: false,
      archivedAt: null,
      updatedAt: '2026-03-01T00:00:00.000Z',
      updatedBy: ALICE,
      position: 1,
    });
  await insertRows(
    gw.db,
    'kits',
    Array.from({ length: 25 }, (_, i) =>
      F.kit({
        kit_id: 500 + i,
        last_run_id: null as unknown as string,
        status: 'NEW',
        owner: ALICE,
        definition: definition(i === 3 ? 'special furnace' : `kit ${i}`),
        updated_at: new Date(Date.UTC(2026, 2, 1, 9, i)),
        position: 500 + i,
      }),
    ),
  );
  await insertRows(gw.db, 'decks', [
    F.deck({ deck_id: randomUUID(), name: 'vector deck', dataset_type: 'Vector', uploaded_by: ALICE, position: 1 }),
    F.deck({ deck_id: randomUUID(), name: 'surf deck', dataset_type: 'Surf', uploaded_by: ALICE, position: 2 }),
  ]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const token = await gw.identity.token({ sub: ALICE, roles: ['logic.general'] });
  page = await browser.newPage();
  await page.addInitScript(`sessionStorage.setItem('vista.accessToken', ${JSON.stringify(token)})`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('the dashboard', () => {
  it('pages, searches and filters kits and datasets, and saves the forms through the API', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${gw.url}/`);

    await rowCount('kits', 20);
    expect((await texts('kits', 2))[0]).toBe('kit 24');
    await page.click('#kits-next');
    await rowCount('kits', 5);
    expect(await texts('kits', 1)).toEqual(['504', '503', '502', '501', '500']);
    expect(await page.locator('#kits-next').isDisabled()).toBe(true);

    await page.fill('#kit-q', 'special');
    await page.click('#kit-filters button[type=submit]');
    await rowCount('kits', 1);
    expect(await texts('kits', 2)).toEqual(['special furnace']);

    await rowCount('decks', 2);
    await page.selectOption('#deck-type', 'Surf');
    await page.click('#deck-filters button[type=submit]');
    await rowCount('decks', 1);
    expect(await texts('decks', 1)).toEqual(['surf deck']);

    const update = await respondTo<Record<string, unknown>>(gw.bus, UpdateDeck, (packet) => ({
      response: { description: null, groundTruth: null, archived: false, ...packet.data.payload },
    }));
    await rowsOf('decks').locator('button').click();
    await page.fill('#deck-ground-truth', '/truth/surf.csv');
    await page.click('#deck-form button[type=submit]');
    await page.locator('#deck-form-note', { hasText: 'Saved.' }).waitFor();
    expect(update.received.map((p) => p.data.payload)).toEqual([
      expect.objectContaining({ name: 'surf deck', datasetType: 'Surf', groundTruth: '/truth/surf.csv', description: null }),
    ]);
    update.subscription.unsubscribe();

    const create = await respondTo<Record<string, unknown>>(gw.bus, CreateKit, (packet) => ({
      response: { kitId: 900, description: null, projectId: null, archived: false, defaultParams: {}, ...packet.data.payload },
    }));
    await page.click('#kit-new');
    await page.fill('#kit-name', 'from the form');
    await page.fill('#kit-params', '{"doe": {"points": 30}}');
    await page.click('#kit-save');
    await page.locator('#kit-form-note', { hasText: 'Kit 900 created.' }).waitFor();
    expect(create.received.map((p) => p.data.payload)).toEqual([{ name: 'from the form', defaultParams: { doe: { points: 30 } } }]);
    create.subscription.unsubscribe();
    expect(errors).toEqual([]);
  }, 60_000);
});
