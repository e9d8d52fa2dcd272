import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema, parseChatCompletionRequest } from './chat-completion-request';
import { HttpError } from './http-error';
import { createJsonShapeGuard } from './json-shape-guard';
import { readJsonBody } from './read-json-body';

const MiB = 1024 * 1024;

/** A request carrying `body` in 64 KiB chunks, as a socket delivers it. */
function requestOf(body: string | Buffer, headers: Record<string, string> = {}): IncomingMessage {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 64 * 1024) chunks.push(bytes.subarray(offset, offset + 64 * 1024));
  return Object.assign(Readable.from(chunks), { headers: { 'content-type': 'application/json', ...headers } }) as unknown as IncomingMessage;
}

const read = (body: string | Buffer, limits = { maxBytes: 2 * MiB, maxDepth: 64, maxValues: 10_000 }, headers: Record<string, string> = {}) => readJsonBody(requestOf(body, headers), limits);
const refusal = (promise: Promise<unknown>): Promise<HttpError> => promise.then(() => { throw new Error('expected a refusal'); }, (error: unknown) => error as HttpError);

/** Nesting depth of a JSON value (a scalar is 0). */
const depthOf = (value: unknown): number =>
  typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

describe('readJsonBody: refuses what costs before it costs', () => {
  it('refuses 1 MiB of "[" with a 400 saying the limit, before JSON.parse', async () => {
    const error = await refusal(read('['.repeat(MiB)));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'json_too_deep' });
    expect(error.message).toContain('64 levels');
    const objects = await refusal(read('{"a":'.repeat(100_000)));
    expect(objects).toMatchObject({ status: 400, code: 'json_too_deep' });
  });

  it('accepts nesting up to the limit, and brackets inside strings do not count', async () => {
    expect((await read(`${'['.repeat(64)}${']'.repeat(64)}`)).value).toBeInstanceOf(Array);
    await expect(read(`${'['.repeat(65)}${']'.repeat(65)}`)).rejects.toMatchObject({ code: 'json_too_deep' });
    const prompt = `[{"\\"${'[{'.repeat(10_000)}\\\\`;
    const body = JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: prompt }] });
    expect(parseChatCompletionRequest((await read(body)).value).messages[0]!.content).toBe(prompt);
  });

  it('refuses more JSON values than the limit before parsing (1 MiB of tiny keys or arrays), not a real chat', async () => {
    const keys = `{${Array.from({ length: 80_000 }, (_, index) => `"k${index}":0`).join(',')}}`;
    await expect(read(keys)).rejects.toMatchObject({ status: 400, code: 'json_too_complex', message: expect.stringContaining('10000 JSON values') });
    await expect(read(`[${'[],'.repeat(300_000)}[]]`)).rejects.toMatchObject({ code: 'json_too_complex' });
    const chat = { model: 'cascade', messages: Array.from({ length: 500 }, (_, index) => ({ role: index % 2 === 0 ? 'user' : 'assistant', content: [{ type: 'text', text: `turn ${index}` }], name: 'n' })) };
    expect(parseChatCompletionRequest((await read(JSON.stringify(chat))).value).messages).toHaveLength(500);
  });

  it('refuses a body over the limit by its Content-Length, and by its size when it has none (413)', async () => {
    await expect(read('{}', { maxBytes: 10, maxDepth: 64, maxValues: 10_000 }, { 'content-length': '11' })).rejects.toMatchObject({ status: 413, code: 'request_too_large' });
    await expect(read(JSON.stringify({ text: 'x'.repeat(100) }), { maxBytes: 64, maxDepth: 64, maxValues: 10_000 })).rejects.toMatchObject({ status: 413 });
  });

  it('never echoes the parser\'s message, which quotes the body (the prompt): only its position, for the log', async () => {
    const error = await refusal(read('{"model":"cascade","messages":[{"role":"user","content":"my secret plan"}] trailing'));
    expect(error).toMatchObject({ status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' });
    expect(error.detail).toMatch(/^JSON\.parse failed at position \d+ \(\d+ bytes\)$/);
    expect(`${error.message} ${error.detail}`).not.toContain('secret');
  });

  it('the nesting guard agrees with the real depth of any JSON value, split anywhere (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 10 }), fc.nat(), (value, wrap, maxDepth, split) => {
        const text = `${'['.repeat(wrap)}${JSON.stringify(value)}${']'.repeat(wrap)}`;
        const bytes = Buffer.from(text);
        const cut = split % (bytes.length + 1);
        const guard = createJsonShapeGuard({ maxDepth, maxValues: 1_000_000 });
        const tooDeep = depthOf(value) + wrap > maxDepth;
        const scan = (): void => {
          guard.feed(bytes.subarray(0, cut));
          guard.feed(bytes.subarray(cut));
        };
        if (tooDeep) expect(scan).toThrow(/deeper than/);
        else expect(scan).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('request parsing: linear in the body, and a 400 naming the field', () => {
  /** Reads and parses a body as the server does; refusals are part of the cost. */
  const handle = async (body: string): Promise<void> => {
    try {
      parseChatCompletionRequest((await read(body, { maxBytes: 16 * MiB, maxDepth: 64, maxValues: 10_000 })).value);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
    }
  };
  /**
   * CPU time of the cheapest of `runs`, in ms: CPU time, not wall time, so the other processes of a
   * loaded machine preempting this one do not count; the cheapest, to skip runs a collection landed on.
   */
  const fastestMs = async (body: string, runs = 4): Promise<number> => {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < runs; run++) {
      const started = process.cpuUsage();
      await handle(body);
      const used = process.cpuUsage(started);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  };
  const request = (content: string): string => JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content }] });
  const adversarial: Record<string, (n: number) => string> = {
    'a run of one character (a prompt)': (n) => request('a'.repeat(n)),
    'a run of backslash escapes': (n) => `{"model":"cascade","messages":[{"role":"user","content":"${'\\\\'.repeat(n / 2)}"}]}`,
    'a run of unicode escapes': (n) => `{"model":"cascade","messages":[{"role":"user","content":"${'\\u00e9'.repeat(n / 6)}"}]}`,
    'a run of "["': (n) => '['.repeat(n),
    'nesting just under the limit, repeated': (n) => `[${Array.from({ length: Math.floor(n / 130) }, () => `${'['.repeat(63)}${']'.repeat(63)}`).join(',')}]`,
    'brackets inside a string': (n) => request('[{'.repeat(n / 2)),
    'an object of many keys': (n) => `{${Array.from({ length: Math.floor(n / 12) }, (_, index) => `"k${index}":0`).join(',')}}`,
    'many messages': (n) => JSON.stringify({ model: 'cascade', messages: Array.from({ length: Math.floor(n / 36) }, () => ({ role: 'user', content: 'hi' })) }),
    'many content parts': (n) => JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: Array.from({ length: Math.floor(n / 28) }, () => ({ type: 'text', text: 'x' })) }] }),
  };

  it.each(Object.keys(adversarial))('%s: 4× the body takes well under 16× the time (n vs 4n)', async (name) => {
    const make = adversarial[name]!;
    // Both sizes past the CPU caches, so the ratio measures the algorithm, not the cache.
    const n = 256 * 1024;
    const small = make(n);
    const large = make(4 * n);
    await fastestMs(small, 1); // warm up
    // A floor of 2 ms: shorter timings are mostly noise (a scavenge of the garbage earlier tests left).
    const ratio = (await fastestMs(large)) / Math.max(await fastestMs(small), 2);
    // Linear is ~4; quadratic would be ~16. Generous, for a loaded 2-core machine.
    expect(ratio).toBeLessThan(10);
  });

  const valid = { model: 'cascade', messages: [{ role: 'user', content: 'hi' }] };
  const fields = Object.keys(chatCompletionRequestSchema.shape) as (keyof typeof chatCompletionRequestSchema.shape)[];
  const anyJson = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));

  it('a wrong-typed top-level field is a 400 whose param and message name it (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), anyJson, (field, value) => {
        fc.pre(!chatCompletionRequestSchema.shape[field].safeParse(value).success);
        const error = (() => {
          try {
            parseChatCompletionRequest({ ...valid, [field]: value });
          } catch (caught) {
            return caught;
          }
          return undefined;
        })();
        expect(error).toBeInstanceOf(HttpError);
        const http = error as HttpError;
        expect(http.status).toBe(400);
        expect(http.param?.split('.')[0]).toBe(field);
        expect(http.message).toContain(field);
      }),
      { numRuns: 400 },
    );
  });

  it('a wrong-typed message field is a 400 naming messages.<index>.<field> (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 3 }), fc.constantFrom('role', 'content', 'name'), anyJson, (index, field, value) => {
        const messages: Record<string, unknown>[] = Array.from({ length: index + 1 }, () => ({ role: 'user', content: 'hi' }));
        fc.pre(!(field === 'role' && ['system', 'developer', 'user', 'assistant'].includes(value as string)));
        fc.pre(!(field === 'content' && typeof value === 'string'));
        fc.pre(!(field === 'name' && typeof value === 'string'));
        messages[index]![field] = value;
        expect(() => parseChatCompletionRequest({ model: 'cascade', messages })).toThrow(expect.objectContaining({ status: 400, param: `messages.${index}.${field}` }));
        try {
          parseChatCompletionRequest({ model: 'cascade', messages });
        } catch (error) {
          expect((error as HttpError).message).toContain(`messages.${index}.${field}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a body that is not a JSON object says so', () => {
    for (const body of [[1, 2], null, 'text', 3]) expect(() => parseChatCompletionRequest(body)).toThrow(/must be a JSON object/);
  });
});
