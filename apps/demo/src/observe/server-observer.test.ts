import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from '../server/__fixtures__/server-fixture';
import { createServerObserver } from './server-observer';

const ADMIN_KEY = 'test-admin-key-0123456789';
const fixtures: ServerFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.close();
});

async function start(adminKey: string | null = ADMIN_KEY): Promise<{ fixture: ServerFixture; origin: string }> {
  const fixture = await startServerFixture({ server: { observer: createServerObserver({ adminKey: adminKey ?? undefined }) } });
  fixtures.push(fixture);
  return { fixture, origin: fixture.baseURL.slice(0, -'/v1'.length) };
}

const get = (url: string, key?: string): Promise<Response> => fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics and /dashboard/data', () => {
  it('count what the test\'s requests did: spend and decisions per tier, denials, latency', async () => {
    const { fixture, origin } = await start();
    const client = new OpenAI({ apiKey: fixture.aliceKey, baseURL: fixture.baseURL, maxRetries: 0 });
    let spent = 0;
    for (const prompt of fixture.prompts.slice(0, 3)) {
      const answer = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: prompt }] });
      spent += (answer as unknown as { cascade: { cost_usd: number } }).cascade.cost_usd;
    }
    // frank (free) may not pick the strongest model: a denial by policy.
    const strongest = fixture.modelIds.at(-1)!;
    const frank = new OpenAI({ apiKey: fixture.frankKey, baseURL: fixture.baseURL, maxRetries: 0 });
    await expect(frank.chat.completions.create({ model: strongest, messages: [{ role: 'user', content: fixture.prompts[0]! }] })).rejects.toMatchObject({ status: 403 });

    const metrics = await get(`${origin}/metrics`, ADMIN_KEY);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^# HELP cascade_cost_usd_total /m);
    const decisions = ['accept', 'escalate', 'route'].reduce((sum, decision) => sum + (sample(text, 'cascade_requests_total', { tier: 'pro', decision }) ?? 0), 0);
    expect(decisions).toBe(3);
    const costLines = text.split('\n').filter((line) => line.startsWith('cascade_cost_usd_total{') && line.includes('tier="pro"'));
    expect(costLines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)).toBeCloseTo(spent, 9);
    expect(sample(text, 'cascade_denials_total', { code: 'MODEL_NOT_ALLOWED' })).toBe(1);
    expect(sample(text, 'cascade_http_requests_total', { route: '/v1/chat/completions', status: '200' })).toBe(3);
    expect(sample(text, 'cascade_http_request_duration_seconds_count', { route: '/v1/chat/completions' })).toBe(4);
    expect(text).toMatch(/^cascade_demo_process_cpu_user_seconds_total /m);
    // No tenant ids in metric labels.
    expect(text).not.toMatch(/alice|frank/);

    const data = (await (await get(`${origin}/dashboard/data`, ADMIN_KEY)).json()) as { totals: { requests: number; spendUsd: number; denials: Record<string, number> }; tenants: { userId: string; tier: string }[]; buckets: unknown[] };
    expect(data.totals.requests).toBe(3);
    expect(data.totals.spendUsd).toBeCloseTo(spent, 9);
    expect(data.totals.denials).toEqual({ MODEL_NOT_ALLOWED: 1 });
    expect(data.tenants).toEqual([expect.objectContaining({ userId: 'alice', tier: 'pro' })]);
    expect(data.buckets.length).toBeGreaterThan(0);
  });

  it('need the admin key: 401 without or with a wrong one, a tenant key included', async () => {
    const { fixture, origin } = await start();
    for (const path of ['/metrics', '/dashboard/data']) {
      expect((await get(`${origin}${path}`)).status).toBe(401);
      expect((await get(`${origin}${path}`, 'wrong-admin-key-0123456789')).status).toBe(401);
      expect((await get(`${origin}${path}`, fixture.aliceKey)).status).toBe(401);
    }
    // The page itself holds no data: it loads, and asks for the key.
    const page = await get(`${origin}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await get(`${origin}/dashboard/chart.js`)).status).toBe(200);
  });

  it('are off (404 saying how to turn them on) without an admin key', async () => {
    const { origin } = await start(null);
    const response = await get(`${origin}/metrics`, ADMIN_KEY);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toMatch(/CASCADE_ADMIN_KEY/);
  });
});
