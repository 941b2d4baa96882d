import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { EvidenceReport, STATUSES } from '../../lib/report/model';
import { REPORT_FILES, writeEvidence } from '../../lib/report/write';
import { FIXTURE, tempDir } from './support';

/**
 * The HTML page in a real browser (Debian's chromium): it loads from a
 * file:// URL with no network, and its summary counts equal the JSON data.
 * `UPDATE_SCREENSHOT=1` refreshes docs/evidence-screenshot.png; with
 * `EVIDENCE_DIR=cdk.out/evidence` the test reads that report (the example
 * synth, as the docs show it) instead of the fixture.
 */
/** The DOM this test reads (tsconfig has no DOM lib). */
interface DomNode {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '../../docs/evidence-screenshot.png');
const INSTALL = `install it with \`apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary`;
/** Required in CI (CI=true, as GitHub Actions and most CI services set it); skipped visibly elsewhere. */
const REQUIRED = /^(true|1)$/i.test(process.env.CI ?? '');
const AVAILABLE = existsSync(CHROMIUM);
const NAME = 'the evidence page loads in headless Chromium and its summary counts equal the JSON data';

if (!AVAILABLE && !REQUIRED) {
  // Visible in every jest reporter: the skipped test's name says why, and stderr says how to fix it.
  process.stderr.write(`\nhtml.chromium.test.ts: SKIPPED, no Chromium at ${CHROMIUM}: ${INSTALL}. (With CI=true this test fails instead.)\n`);
}

(AVAILABLE || REQUIRED ? test : test.skip)(AVAILABLE || REQUIRED ? NAME : `${NAME} [SKIPPED: no Chromium at ${CHROMIUM}; ${INSTALL}]`, async () => {
  if (!AVAILABLE) throw new Error(`Chromium not found at ${CHROMIUM} and CI=true requires this test: ${INSTALL}.`);
  let out = process.env.EVIDENCE_DIR;
  if (!out) {
    out = tempDir('edu-report-html-');
    writeEvidence(FIXTURE, { outDir: out, generatedAt: '2026-01-31T12:00:00Z' });
  }
  const data = JSON.parse(readFileSync(join(out, REPORT_FILES.data), 'utf8')) as EvidenceReport;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) external.push(req.url());
    });
    const response = await page.goto(pathToFileURL(join(out, REPORT_FILES.html)).href, { waitUntil: 'load' });
    expect(response?.ok() ?? true).toBe(true);
    expect(await page.title()).toBe(data.title);

    const counts = await page.$$eval('#summary-table tr[data-environment]', (rows) =>
      (rows as unknown as DomNode[]).map((row) => ({
        environment: row.getAttribute('data-environment'),
        cells: Array.from(row.querySelectorAll('td[data-status]')).map((td) => [td.getAttribute('data-status'), Number(td.textContent)] as const),
      })));
    expect(counts).toEqual(data.environments.map((env) => ({ environment: env.name, cells: STATUSES.map((s) => [s, env.summary[s]]) })));
    // The summary is what a reader sees first.
    const summaryTop = await page.$eval('#summary', (el) => el.getBoundingClientRect().top);
    expect(summaryTop).toBeLessThan(900);
    expect(external).toEqual([]);

    // Navigation: a table of contents whose every link lands on an element of the page, a section and anchors per environment and control.
    const links = await page.$$eval('#toc a', (as) => (as as unknown as DomNode[]).map((a) => a.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(data.environments.length * data.environments[0].controls.length);
    const missing = await page.evaluate((hrefs) => {
      const doc = (globalThis as unknown as { document: { getElementById(id: string): unknown } }).document;
      return hrefs.filter((h) => !h.startsWith('#') || doc.getElementById(h.slice(1)) === null);
    }, links);
    expect(missing).toEqual([]);
    for (const env of data.environments) {
      expect(await page.$(`section#env-detail-${env.name}`)).not.toBeNull();
      // Control titles beside the IDs in the summary rows.
      const titles = await page.$$eval(`table.matrix[data-environment="${env.name}"] tr[data-control] td.title`, (tds) => (tds as unknown as DomNode[]).map((td) => td.textContent));
      expect(titles).toEqual(env.controls.map((c) => c.title));
      // What is not evidenced, and why, per control.
      const notEvidenced = await page.$$eval(`table.not-evidenced[data-environment="${env.name}"] tr[data-control]`, (rows) =>
        (rows as unknown as DomNode[]).map((row) => [row.getAttribute('data-control'), Array.from(row.querySelectorAll('td'))[2]?.textContent ?? '']));
      expect(notEvidenced).toEqual(env.controls.filter((c) => c.status === 'not evidenced' || c.status === 'not applicable').map((c) => [c.id, c.reason]));
    }
    // Every acknowledged finding, in a control or not mapped to one, shows its reason, owner and expiry or review date.
    const acknowledged = await page.$$eval('tr.acknowledged td.exception', (tds) =>
      (tds as unknown as DomNode[]).map((td) => ['.reason', '.owner', '.date'].map((part) => Array.from(td.querySelectorAll(part))[0]?.textContent ?? '')));
    const expected = data.environments.flatMap((env) => [...env.controls.flatMap((c) => c.acknowledgments), ...env.unmappedFindings.filter((f) => f.acknowledgment)]);
    expect(acknowledged).toHaveLength(expected.length);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [reason, owner, date] of acknowledged) {
      expect([reason.length > 10, owner, date]).toEqual([true, expect.stringMatching(/\S/), expect.stringMatching(/^(expires|review by) \d{4}-\d{2}-\d{2}$/)]);
    }

    if (process.env.UPDATE_SCREENSHOT === '1') await page.screenshot({ path: SCREENSHOT, fullPage: false });
  } finally {
    await browser.close();
  }
});
