import { Agent, request } from 'node:http';
import { countMessageTokens } from '@cascade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';

const MAX_BODY = 256 * 1024;
/** A long run of one character: the pre-flight token estimate's worst case (defect 1). */
const CPU_BOMB_CHARS = 64_000;

/** CPU ms of `task` (CPU, not wall time: other processes on a loaded machine do not count). */
const cpuMs = (task: () => void): number => {
  const started = process.cpuUsage();
  task();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
};

/**
 * Whether the token estimate is linear on a run of one character (4× the run, well under 16× the CPU).
 * Until core's linear estimate is in, a 64 k run costs seconds of CPU, and the flood would only measure
 * that: then the bombs are left out with a warning, and under CI the test fails instead.
 */
function estimateIsLinear(): boolean {
  // A new letter each time: the tokenizer caches what it has seen.
  let letter = 'a'.charCodeAt(0);
  const run = (chars: number): number => Math.min(...[0, 1, 2].map(() => cpuMs(() => countMessageTokens([{ role: 'user', content: String.fromCharCode(letter++).repeat(chars) }]))));
  return run(12_000) / Math.max(run(3_000), 1) < 9;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

let fixture: ServerFixture;
beforeAll(async () => {
  fixture = await startServerFixture({ maxBodyBytes: MAX_BODY });
});
afterAll(async () => {
  await fixture.close();
});

describe('one tenant floods, another keeps being answered', () => {
  it('frank floods oversized, deeply nested and CPU-heavy bodies; alice\'s median latency stays within 10× her unloaded median', async () => {
    const bombs = estimateIsLinear();
    if (!bombs) {
      const message = 'The pre-flight token estimate is superlinear on a run of one character (defect 1): the flood leaves out its CPU bombs.';
      if (process.env.CI === 'true') throw new Error(`${message} Merge core's linear estimate.`);
      console.warn(`${message} Under CI this fails.`);
    }
    const url = `${fixture.baseURL}/chat/completions`;
    const post = (key: string, body: string): Promise<Response> =>
      fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    const question = JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[0]! }] });
    const victim = async (): Promise<number> => {
      const started = performance.now();
      const response = await post(fixture.aliceKey, question);
      await response.json();
      expect(response.status).toBe(200);
      return performance.now() - started;
    };
    for (let index = 0; index < 3; index++) await victim(); // warm up
    const unloaded: number[] = [];
    for (let index = 0; index < 15; index++) unloaded.push(await victim());

    const floods = [
      JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: 'x'.repeat(2 * MAX_BODY) }] }), // oversized: 413
      '['.repeat(MAX_BODY - 16), // deeply nested: 400 json_too_deep
      `{"model":"cascade","messages":[{"role":"user","content":"hi"}],"pad":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
      ...(bombs ? [JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: 'a'.repeat(CPU_BOMB_CHARS) }] })] : []),
    ];
    // Frank is another client: his own connections (a refused body may close one), not alice's pool.
    const frankAgent = new Agent({ keepAlive: true, maxSockets: 6 });
    const flood = (body: string): Promise<number | undefined> =>
      new Promise((resolve) => {
        const outgoing = request(url, { method: 'POST', agent: frankAgent, headers: { authorization: `Bearer ${fixture.frankKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
          response.on('error', () => resolve(response.statusCode));
        });
        outgoing.on('error', () => resolve(undefined));
        outgoing.end(body);
      });
    const statuses = new Map<number, number>();
    let sent = 0;
    let flooding = true;
    const deadline = Date.now() + 10_000;
    const worker = async (offset: number): Promise<void> => {
      for (let index = offset; flooding && sent < 3_000 && Date.now() < deadline; index++) {
        sent++;
        const status = await flood(floods[index % floods.length]!);
        if (status !== undefined) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const workers = Array.from({ length: 6 }, (_, index) => worker(index));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the flood is on
    const loaded: number[] = [];
    for (let index = 0; index < 15; index++) loaded.push(await victim());
    flooding = false;
    await Promise.all(workers);
    frankAgent.destroy();

    // The flood happened, was refused, and ran frank out of parse budget.
    expect(sent).toBeGreaterThan(50);
    expect(statuses.get(200) ?? 0).toBe(0);
    expect((statuses.get(413) ?? 0) + (statuses.get(400) ?? 0)).toBeGreaterThan(0);
    expect(fixture.logs.some((entry) => entry.userId === 'frank' && entry.code === 'parse_budget_exceeded')).toBe(true);
    // Alice did not notice much: a ratio to her own unloaded median (floored at 2 ms against timer noise).
    const ratio = median(loaded) / Math.max(median(unloaded), 2);
    expect(ratio, `alice's median ${median(loaded).toFixed(1)} ms under flood vs ${median(unloaded).toFixed(1)} ms unloaded; frank sent ${sent}: ${JSON.stringify([...statuses])}`).toBeLessThan(10);
  }, 30_000);
});
