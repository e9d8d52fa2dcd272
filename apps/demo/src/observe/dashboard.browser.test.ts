import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from '../server/__fixtures__/server-fixture';
import { createServerObserver } from './server-observer';

/** Debian's `chromium` package; `.ci/run` installs it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  if (process.env.CI === 'true') throw new Error(`No Chromium at ${CHROMIUM}: CI must run the dashboard test in a real browser (.ci/run installs Debian's chromium with apt-get).`);
  console.warn(`Skipping the dashboard browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
}

const ADMIN_KEY = 'dashboard-test-admin-key-0123456789';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CHART_IDS = ['chart-spend-tier', 'chart-savings-tier', 'chart-spend-tenant', 'chart-savings-tenant', 'chart-decisions', 'chart-quality', 'chart-latency', 'chart-policy'];

interface ChartView {
  id: string;
  type: string;
  width: number;
  height: number;
  labels: string[];
  datasets: { label: string; sum: number }[];
  /** Non-transparent pixels drawn on the canvas. */
  painted: number;
}

describe.skipIf(!HAS_CHROMIUM)('/dashboard in headless Chromium', () => {
  let fixture: ServerFixture;
  let browser: Browser;
  let userDataDir: string;
  let spent = 0;

  beforeAll(async () => {
    fixture = await startServerFixture({ server: { observer: createServerObserver({ adminKey: ADMIN_KEY }) } });
    const alice = new OpenAI({ apiKey: fixture.aliceKey, baseURL: fixture.baseURL, maxRetries: 0 });
    for (const prompt of fixture.prompts.slice(0, 4)) {
      const answer = await alice.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: prompt }] });
      spent += (answer as unknown as { cascade: { cost_usd: number } }).cascade.cost_usd;
    }
    const frank = new OpenAI({ apiKey: fixture.frankKey, baseURL: fixture.baseURL, maxRetries: 0 });
    await frank.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[5]! }] });
    await expect(frank.chat.completions.create({ model: fixture.modelIds.at(-1)!, messages: [{ role: 'user', content: fixture.prompts[0]! }] })).rejects.toMatchObject({ status: 403 });
    userDataDir = mkdtempSync(join(tmpdir(), 'cascade-chromium-'));
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, userDataDir });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('loads, draws every chart with the data of the test\'s requests, and logs no console error', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    const origin = fixture.baseURL.slice(0, -'/v1'.length);
    await page.setViewport({ width: 1280, height: 2000 });
    await page.goto(`${origin}/dashboard#key=${ADMIN_KEY}`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-state="ready"]', { timeout: 20_000 });
    // The key left the address bar.
    expect(page.url()).toBe(`${origin}/dashboard`);

    // Runs in the page (the test's tsconfig has no DOM types: the page's objects are typed loosely here).
    const charts = await page.evaluate((ids: string[]) => {
      interface Canvas { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
      interface PageChart { config: { type: string }; data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } }
      const page = globalThis as unknown as { document: { getElementById(id: string): Canvas }; Chart: { getChart(canvas: Canvas): PageChart | undefined } };
      return ids.map((id) => {
        const canvas = page.document.getElementById(id);
        const chart = page.Chart.getChart(canvas);
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted++;
        return {
          id, type: chart?.config.type ?? 'none', width: canvas.width, height: canvas.height, labels: chart?.data.labels ?? [], painted,
          datasets: (chart?.data.datasets ?? []).map((set) => ({ label: set.label, sum: set.data.reduce<number>((sum, value) => sum + (value ?? 0), 0) })),
        };
      });
    }, CHART_IDS) as ChartView[];
    const byId = Object.fromEntries(charts.map((chart) => [chart.id, chart]));
    for (const chart of charts) {
      expect(chart.type, chart.id).not.toBe('none');
      expect(chart.width, chart.id).toBeGreaterThan(100);
      expect(chart.painted, `${chart.id} drew nothing`).toBeGreaterThan(500);
    }
    const sumOf = (id: string, label: string): number | undefined => byId[id]!.datasets.find((set) => set.label === label)?.sum;
    expect(sumOf('chart-spend-tier', 'pro')).toBeCloseTo(spent, 9);
    expect(sumOf('chart-spend-tenant', 'alice')).toBeCloseTo(spent, 9);
    expect(sumOf('chart-spend-tenant', 'frank')).toBeGreaterThan(0);
    expect(byId['chart-decisions']!.datasets.reduce((sum, set) => sum + set.sum, 0)).toBe(5);
    expect(byId['chart-latency']!.datasets.map((set) => set.label)).toEqual(['p50', 'p90', 'p99']);
    expect(sumOf('chart-latency', 'p50')).toBeGreaterThan(0);
    expect(byId['chart-policy']!.labels).toContain('denied MODEL_NOT_ALLOWED');
    expect(await page.$eval('#tile-requests', (element) => element.textContent)).toBe('5');
    expect(problems).toEqual([]);
    if (process.env.CASCADE_DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.CASCADE_DASHBOARD_SCREENSHOT, fullPage: true });
    await page.close();
  }, 60_000);
});
