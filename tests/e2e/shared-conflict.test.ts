// A team's shared project (issue #15 point 2, docs/TEAM.md) in the app: a colleague saves the same
// scenario first, so the app's save is refused (E_CONFLICT). The app says who saved which version,
// keeps the edit on screen, and on request saves it as a new scenario or shows the colleague's
// version instead. What lands is read back from PostgreSQL by a third, fresh service. Real
// PostgreSQL + PostGIS (tests/helpers/postgres.ts), Debian's chromium, the browser-mode server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import pg from 'pg';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { main } from '../../core/cli/main.js';
import { findPostgres, startPostgres, type PgServer } from '../helpers/postgres.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { closeApp, ensureRendererBuilt, openApp } from './browser.js';
import { makeProject } from './fixture-project.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const SHOTS = 'test-results/screenshots';
const WAIT = 30_000;
const haveChromium = requireToolOrSkip('chromium');
const pgFound = findPostgres();
const COLLEAGUE = 'planner_b';

describe.skipIf(!haveChromium || !pgFound.bin)(`a shared project in the app: save conflicts${pgFound.bin ? '' : ` — skipped: ${pgFound.reason}`}`, () => {
  const dir = tmpDir('ekimae-e2e-shared-');
  const service = new EkimaeService();
  const colleague = new EkimaeService();
  let pgServer: PgServer;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let url = '';
  const consoleErrors: string[] = [];
  const savedPassword = process.env.PGPASSWORD;

  /** What a fresh process would read from the database now (not the app's or the colleague's working copy). */
  async function fromDatabase() {
    const fresh = new EkimaeService();
    try {
      await fresh.invoke('project.open', { path: url, readOnly: true });
      const list = await fresh.invoke('scenario.list', {});
      const versions = new Map<string, number>();
      for (const s of list) versions.set(s.id, (await fresh.invoke('scenario.get', { id: s.id })).version);
      return { list, versions };
    } finally { fresh.close(); }
  }

  const farOfRule = (d: { rules: Array<{ maxFar: number }> }, n: number) => d.rules[n - 1]!.maxFar;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    pgServer = await startPostgres();
    // The password travels as libpq's PGPASSWORD (docs/TEAM.md), never in the address the app shows.
    process.env.PGPASSWORD = pgServer.password;
    url = `postgresql://${pgServer.user}@127.0.0.1:${pgServer.port}/${pgServer.database}?schema=team`;
    const { path } = await makeProject(dir, { preferSample: false });
    const err: string[] = [];
    expect(await main(['push', path, url], { out: () => undefined, err: (s) => err.push(s), stdin: async () => '' }), err.join('\n')).toBe(0);
    // The colleague logs in as a role of their own (docs/TEAM.md: a login role per person).
    await pgServer.addRole(COLLEAGUE, 'planner-b-pw');
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    await admin.query(`GRANT USAGE ON SCHEMA team TO ${COLLEAGUE}; GRANT ALL ON ALL TABLES IN SCHEMA team TO ${COLLEAGUE}; GRANT ALL ON ALL SEQUENCES IN SCHEMA team TO ${COLLEAGUE}`);
    await admin.end();
    await colleague.invoke('project.open', { path: url.replace(`//${pgServer.user}@`, `//${COLLEAGUE}:planner-b-pw@`) });
    await colleague.invoke('scenario.defaults', {});
    const staticDir = ensureRendererBuilt();
    ({ server, browser, page } = await openApp(service, { staticDir, uploadParent: dir, errors: consoleErrors }));
    await page.goto(server.loginUrl(`project=${encodeURIComponent(url)}`));
    await page.getByRole('checkbox', { name: 'Show layer parcels' }).waitFor({ timeout: WAIT });
  });

  afterAll(async () => {
    await closeApp({ browser, server }, service);
    colleague.close();
    await pgServer?.stop();
    if (savedPassword === undefined) delete process.env.PGPASSWORD; else process.env.PGPASSWORD = savedPassword;
  });

  it('a colleague saved first: the app says so, keeps the edit, and saves it as a new scenario on request', async () => {
    const base = await colleague.invoke('scenario.get', { id: 'tod-moderate' });
    expect(base.version).toBe(1);
    const n = 1 + base.definition.rules.findIndex((r) => r.bands?.length === 1 && r.bands[0] === '0-400m');
    expect(n).toBeGreaterThan(0);
    const original = farOfRule(base.definition, n);
    // The colleague's save lands first (version 2).
    const theirs = await colleague.invoke('scenario.save', {
      id: 'tod-moderate', scenario: { ...base.definition, rules: base.definition.rules.map((r, i) => (i === n - 1 ? { ...r, maxFar: original + 1 } : r)) }, note: 'colleague',
    });
    expect(theirs.version).toBe(2);

    await page.getByRole('tab', { name: 'Scenario' }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Scenario' }).inputValue(), { timeout: WAIT }).toBe('tod-moderate');

    // The app, opened before that save, edits the same rule and saves.
    const far = page.getByRole('spinbutton', { name: `Max FAR of rule ${n}` });
    await far.fill('12');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    const alert = page.getByRole('alert', { name: 'Save conflict' });
    await alert.waitFor({ timeout: WAIT });
    const text = (await alert.textContent())!;
    expect(text).toContain(`${COLLEAGUE} saved version 2 of “TOD moderate” in the shared database`);
    expect(text).toContain('not saved over theirs');
    expect(text).not.toContain(pgServer.password);
    // Nothing of the app's change landed; its edit is still on screen.
    let db = await fromDatabase();
    expect(db.versions.get('tod-moderate')).toBe(2);
    expect(farOfRule((await colleague.invoke('scenario.get', { id: 'tod-moderate' })).definition, n)).toBe(original + 1);
    expect(db.list.map((s) => s.name)).not.toContain('TOD moderate (copy)');
    await expect(far.inputValue()).resolves.toBe('12');
    await page.screenshot({ path: join(SHOTS, '40-save-conflict.png') });

    await alert.getByRole('button', { name: 'Save mine as a new scenario (TOD moderate (copy))' }).click();
    await alert.waitFor({ state: 'detached', timeout: WAIT });
    await expect.poll(() => page.getByRole('status', { name: 'status' }).textContent(), { timeout: WAIT }).toContain('Saved your change as a new scenario: TOD moderate (copy)');
    const select = page.getByRole('combobox', { name: 'Scenario' });
    await expect.poll(() => select.inputValue(), { timeout: WAIT }).not.toBe('tod-moderate');
    await expect(select.locator('option:checked').textContent()).resolves.toBe('TOD moderate (copy) (v1)');
    await expect(far.inputValue()).resolves.toBe('12');

    // Both versions are in the database: the colleague's as the scenario's latest, the app's as a new scenario.
    db = await fromDatabase();
    expect(db.versions.get('tod-moderate')).toBe(2);
    const copy = db.list.find((s) => s.name === 'TOD moderate (copy)')!;
    expect(copy).toBeDefined();
    expect(copy.id).toBe(await select.inputValue());
    expect(farOfRule(copy.definition, n)).toBe(12);
    expect(farOfRule(db.list.find((s) => s.id === 'tod-moderate')!.definition, n)).toBe(original + 1);
    expect(consoleErrors).toEqual([]);
  });

  it('or drops the edit and shows their version, on which a save then lands', async () => {
    const select = page.getByRole('combobox', { name: 'Scenario' });
    await select.selectOption('tod-intensive');
    const base = await colleague.invoke('scenario.get', { id: 'tod-intensive' });
    const v0 = base.version;
    const n = 1 + base.definition.rules.findIndex((r) => r.bands?.length === 1 && r.bands[0] === '0-400m');
    const original = farOfRule(base.definition, n);
    const far = page.getByRole('spinbutton', { name: `Max FAR of rule ${n}` });
    await expect.poll(() => far.inputValue(), { timeout: WAIT }).toBe(String(original));
    await colleague.invoke('scenario.save', {
      id: 'tod-intensive', scenario: { ...base.definition, rules: base.definition.rules.map((r, i) => (i === n - 1 ? { ...r, maxFar: original - 1 } : r)) },
    });

    await far.fill('14');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    const alert = page.getByRole('alert', { name: 'Save conflict' });
    await alert.waitFor({ timeout: WAIT });
    await alert.getByRole('button', { name: 'Discard mine and show theirs' }).click();
    await alert.waitFor({ state: 'detached', timeout: WAIT });
    await expect.poll(() => far.inputValue(), { timeout: WAIT }).toBe(String(original - 1));
    await expect(select.locator('option:checked').textContent()).resolves.toBe(`TOD intensive (v${v0 + 1})`);

    // Their version is the base now: a save on it is not a conflict.
    await far.fill(String(original - 2));
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'status' }).textContent(), { timeout: WAIT }).toContain(`Saved TOD intensive, version ${v0 + 2}`);
    const db = await fromDatabase();
    expect(db.versions.get('tod-intensive')).toBe(v0 + 2);
    expect(farOfRule(db.list.find((s) => s.id === 'tod-intensive')!.definition, n)).toBe(original - 2);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('Versions lists who saved each version and what changed; an earlier one, shown and saved, becomes the latest', async () => {
    const select = page.getByRole('combobox', { name: 'Scenario' });
    await select.selectOption('tod-intensive');
    await expect.poll(() => select.inputValue(), { timeout: WAIT }).toBe('tod-intensive');
    // As the database holds them now (the colleague's copy has not seen the app's last save).
    const fresh = new EkimaeService();
    await fresh.invoke('project.open', { path: url, readOnly: true });
    const now = await fresh.invoke('scenario.get', { id: 'tod-intensive' });
    const prev = await fresh.invoke('scenario.get', { id: 'tod-intensive', version: now.version - 1 });
    fresh.close();
    const n = 1 + now.definition.rules.findIndex((r) => r.bands?.length === 1 && r.bands[0] === '0-400m');
    const rule = now.definition.rules[n - 1]!;
    const who = `${rule.bands!.join(', ')}; ${rule.landUses?.join(', ') ?? 'all uses'}`;

    await page.getByText('Versions: who saved what, and what changed').click();
    const list = page.getByRole('list', { name: 'Saved versions of TOD intensive, newest first' });
    await list.waitFor({ timeout: WAIT });
    // The last test's versions: the defaults and the colleague's save by planner_b, the app's save by the admin role.
    const latest = list.getByTestId(`version-${now.version}`);
    await expect.poll(() => list.getByTestId(`version-${now.version}-by`).textContent(), { timeout: WAIT }).toBe(`by ${pgServer.user}`);
    await expect(list.getByTestId(`version-${now.version - 1}-by`).textContent()).resolves.toBe(`by ${COLLEAGUE}`);
    await expect(list.getByTestId('version-1-by').textContent()).resolves.toBe(`by ${COLLEAGUE}`);
    await expect(latest.textContent()).resolves.toContain(`rule ${n} (${who}): max FAR ${farOfRule(prev.definition, n)} → ${farOfRule(now.definition, n)}`);
    await expect(list.getByTestId('version-1').textContent()).resolves.toContain('First version');
    await page.screenshot({ path: join(SHOTS, '42-scenario-versions.png') });
    // In Japanese the change lines are Japanese too: the core writes them in the app's language.
    await page.getByLabel('Language', { exact: true }).selectOption('ja');
    const latestAnyLang = page.getByTestId(`version-${now.version}`);
    await expect.poll(() => latestAnyLang.textContent(), { timeout: WAIT }).toContain(`ルール ${n}（${rule.bands!.join('、')}；`);
    await expect(latestAnyLang.textContent()).resolves.toContain(`最大容積率 ${farOfRule(prev.definition, n)} → ${farOfRule(now.definition, n)}`);
    await expect(latestAnyLang.textContent()).resolves.not.toContain('max FAR');
    await expect(page.getByTestId('version-1').textContent()).resolves.toContain('最初の版');
    await page.screenshot({ path: join(SHOTS, '42b-scenario-versions-ja.png') });
    await page.getByLabel('言語', { exact: true }).selectOption('en');
    await expect.poll(() => latest.textContent(), { timeout: WAIT }).toContain(`rule ${n} (${who}): max FAR`);

    // The colleague's version back on screen (undoable), then saved: it lands as the next version, by the app's role.
    await list.getByTestId(`version-${now.version - 1}`).getByRole('button', { name: `Show version ${now.version - 1} on screen` }).click();
    const far = page.getByRole('spinbutton', { name: `Max FAR of rule ${n}` });
    await expect.poll(() => far.inputValue(), { timeout: WAIT }).toBe(String(farOfRule(prev.definition, n)));
    await expect.poll(() => page.getByRole('status', { name: 'status' }).textContent(), { timeout: WAIT }).toContain(`Version ${now.version - 1} of TOD intensive is on screen, unsaved`);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'status' }).textContent(), { timeout: WAIT }).toContain(`Saved TOD intensive, version ${now.version + 1}`);
    await expect.poll(() => list.getByTestId(`version-${now.version + 1}-by`).textContent(), { timeout: WAIT }).toBe(`by ${pgServer.user}`);
    await expect(list.getByTestId(`version-${now.version + 1}`).textContent()).resolves.toContain(`max FAR ${farOfRule(now.definition, n)} → ${farOfRule(prev.definition, n)}`);
    const db = await fromDatabase();
    expect(db.versions.get('tod-intensive')).toBe(now.version + 1);
    expect(db.list.find((s) => s.id === 'tod-intensive')!.definition).toEqual(prev.definition);
    expect(consoleErrors).toEqual([]);
  });

  it('Reload from database brings in what a colleague saved meanwhile; the undo history starts afresh', async () => {
    const base = await colleague.invoke('scenario.get', { id: 'trend' });
    const added = await colleague.invoke('scenario.save', { scenario: { ...base.definition, name: 'Colleague option C' } });
    const select = page.getByRole('combobox', { name: 'Scenario' });
    const options = () => select.locator('option').allTextContents();
    await expect(options()).resolves.not.toContain('Colleague option C (v1)');
    await expect(page.getByRole('button', { name: 'Undo' }).isEnabled()).resolves.toBe(true);

    // An edit on screen, not saved: the app asks first. Cancelled, nothing happens and the edit stays.
    // (The drawer collapsed and opened again on the way: hidden, not unmounted, it keeps the edit.)
    const far = page.getByRole('spinbutton', { name: 'Max FAR of rule 1' });
    await far.fill('2.5');
    await page.getByRole('button', { name: '▾' }).click();
    await page.getByRole('tab', { name: 'Scenario' }).click();
    await expect(far.inputValue()).resolves.toBe('2.5');
    const asked: string[] = [];
    const copyBefore = service.project;
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await page.getByRole('button', { name: /Reload from database/ }).click();
    await expect.poll(() => asked.length, { timeout: WAIT }).toBe(1);
    expect(asked[0]).toContain('The scenario edit on screen is not saved and would be dropped');
    // A reload that went ahead anyway would have replaced the core's working copy by now (it takes about a second here).
    await page.waitForTimeout(2000);
    expect(service.project).toBe(copyBefore);
    await expect(page.getByRole('button', { name: 'Undo' }).isEnabled()).resolves.toBe(true);
    await expect(far.inputValue()).resolves.toBe('2.5');
    await expect(options()).resolves.not.toContain('Colleague option C (v1)');
    page.once('dialog', (d) => { asked.push(d.message()); void d.accept(); });
    await page.getByRole('button', { name: /Reload from database/ }).click();
    await expect.poll(() => page.getByRole('status', { name: 'status' }).textContent(), { timeout: WAIT }).toContain('Reloaded from the shared database');
    await page.getByRole('tab', { name: 'Scenario' }).click();
    await expect.poll(options, { timeout: WAIT }).toContain('Colleague option C (v1)');
    expect(asked).toHaveLength(2);
    expect(service.project).not.toBe(copyBefore);
    await select.selectOption(added.id);
    await expect.poll(() => select.inputValue(), { timeout: WAIT }).toBe(added.id);
    // The edits made on the copy before belong to it: nothing is left to undo.
    await expect(page.getByRole('button', { name: 'Undo' }).isEnabled()).resolves.toBe(false);
    // Nothing unsaved now: a reload goes ahead without asking.
    const second = service.project;
    await page.getByRole('button', { name: /Reload from database/ }).click();
    await expect.poll(() => service.project !== second, { timeout: WAIT }).toBe(true);
    expect(asked).toHaveLength(2);
    await page.getByRole('tab', { name: 'Scenario' }).click();
    await page.screenshot({ path: join(SHOTS, '41-reloaded-from-database.png') });
    // The app reports the database without any password, as before.
    await expect(page.getByText(pgServer.password).count()).resolves.toBe(0);
    expect((await service.invoke('project.info', {})).path).toBe(url);
    expect(consoleErrors).toEqual([]);
  });
});
