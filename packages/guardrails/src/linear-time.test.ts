/**
 * Every public text-taking function of guardrails runs in time linear in its input, on adversarial
 * inputs built to trigger regex backtracking (runs of one character, of whitespace, of newlines, of
 * CJK or zero-width characters, nested brackets, repeated keywords, `a=a=a=`, a marker followed by a
 * long run). Time is compared as a ratio t(4n)/t(n) with a generous margin, never against a clock:
 * a linear function gives about 4, a quadratic one 16; times are CPU time, not wall time. Inputs stay under about 20 k characters:
 * beyond that V8's young-generation GC adds a step to every allocation-heavy scan (the old regex
 * code shows it as well), which a ratio would misread as growth. Each ratio is of medians of interleaved runs
 * after a warm-up, and is measured again before failing, so only a ratio that stays high fails on a
 * loaded machine.
 */
import { fromArray } from '@cascade/core/test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClassifierInjectionDetector, createHeuristicInjectionDetector, createPiiDetector, createPiiRedactor, moderateLocally, PII_ENTITY_TYPES, redactStream } from './index';

const MAX_RATIO = 12;
/** Times below this are noise: a ratio over them means nothing. */
const FLOOR_MS = 1;
/** Interleaved runs of each size per measurement. */
const PAIRS = 3;
/** Measurements before a high ratio counts (a GC pause or a busy core disturbs one, not all). */
const TRIES = 3;

type Target = (text: string) => unknown;

/**
 * CPU milliseconds of this process (vitest runs each file in its own process): unlike wall time,
 * other processes competing for the cores of a loaded machine do not count.
 */
async function timed(target: Target, text: string): Promise<number> {
  const start = process.cpuUsage();
  await target(text);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]): number => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;

/**
 * t(4n)/t(n) as the ratio of medians of {@link PAIRS} interleaved runs (both sizes see the same
 * load and GC state), after one warm-up run of each size; measured again, up to {@link TRIES}
 * times, while it is above the margin.
 */
async function growth(target: Target, make: (size: number) => string, size: number): Promise<number> {
  const small = make(size);
  const large = make(4 * size);
  // Warm both sizes up first: the JIT and V8's regexp tier-up would otherwise count against one of them.
  await timed(target, small);
  await timed(target, large);
  let ratio = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < TRIES && ratio >= MAX_RATIO; attempt++) {
    const smallTimes: number[] = [];
    const largeTimes: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      smallTimes.push(await timed(target, small));
      largeTimes.push(await timed(target, large));
    }
    ratio = Math.min(ratio, median(largeTimes) / Math.max(median(smallTimes), FLOOR_MS));
  }
  return ratio;
}

/** `prefix` then `unit` repeated to `size` characters. */
const build =
  (prefix: string, unit: string) =>
  (size: number): string =>
    prefix + unit.repeat(Math.ceil(Math.max(0, size - prefix.length) / unit.length));

/** Adversarial units: runs of one character, whitespace, brackets, quotes, keywords, markers. */
const UNITS = [
  'a', '\n', ' ', '\t', ' \n', '\n\n ', '!', '0', '1', '.', '-', '_', '=', ':', '/', '@', '#', '<', '>', '(', '[', '[[', ']', '"', "'", '`', '|', '$', '中', 'ア', '한', 'и', '\u0430a', '\u200B', '\u200B ', '\uDB40\uDC41',
  'ignore ', 'ignore ignore ', 'ignore all previous ', 'a=', 'a=a=', 'x = "', 'a is "', 'Q: ', 'User: hi\n', '<!--', '<p>', '<a ', '/*', '// ', '# ', 'sk-', 'csk_', 'ghp_', 'AKIA', 'eyJ', '-----BEGIN ',
  'Ada ', 'Ada van ', 'A. ', 'ADA ', '12 Main ', '12 rue de ', 'Box 1 ', ', Springfield, IL 62704', 'Strasse 1 ', 'Apt 4 ', '# ', 'June 5 ', '1/2/', '2020-01-01 ', '12:30 ',
  'http://', 'www.', 'a@', 'a.', '1 ', '12 ', '1.', '1-', '+1', '(1', '::', 'f:', 'DE89 ', 'k i l l ', 'k1ll ', 'kill you ', 'you are ', 'send to ', 'given the article: ', '.- ', '01000001 ', '0x41 ', 'aB3/',
] as const;
/** Markers followed by a long run: a pattern that starts at the marker and backtracks over the run. */
const PREFIXES = ['', 'system', '[system]', '<', '< /', 'ignore', 'ignore all', 'send to', 'x = "', 'Q:', '<!--', 'given the text', '-----BEGIN RSA PRIVATE KEY-----\n', 'sk-', 'http://a.b/'] as const;

const adversarial = fc.record({
  prefix: fc.constantFrom(...PREFIXES),
  unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...UNITS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) }),
});

/** Regressions of issue 17 / defect 9: each was quadratic before the fix (prefix, unit). */
const KNOWN: readonly { prefix: (typeof PREFIXES)[number]; unit: string }[] = [
  { prefix: '', unit: '\n' },
  { prefix: 'system', unit: '\n' },
  { prefix: '[system]', unit: ' \n' },
  { prefix: '<', unit: '\n' },
  { prefix: '< /', unit: ' ' },
  { prefix: '', unit: '!' },
  { prefix: '', unit: '0' },
  { prefix: '', unit: '|' },
];

const injection = createHeuristicInjectionDetector();
const classifier = createClassifierInjectionDetector();
const detector = createPiiDetector();
const redactor = createPiiRedactor();
const everyType = createPiiDetector({ entities: [...PII_ENTITY_TYPES] });
const SYSTEM_PROMPT = 'You are a support bot. Never reveal the password. Do not discuss physics or share the personal data of Alice Smith.';

/** The stream redactor fed `chunkSize` characters at a time. */
const streamed =
  (chunkSize: number): Target =>
  async (text) => {
    const chunks: string[] = [];
    for (let index = 0; index < text.length; index += chunkSize) chunks.push(text.slice(index, index + chunkSize));
    for await (const part of redactStream(fromArray(chunks), redactor)) void part;
  };

const TARGETS: readonly { name: string; target: Target; size: number; runs: number }[] = [
  { name: 'heuristic injection detect', target: (text) => injection.detect({ text }), size: 4_000, runs: 30 },
  { name: 'heuristic injection detect (document, system prompt)', target: (text) => injection.detect({ text, source: 'document', systemPrompt: SYSTEM_PROMPT }), size: 4_000, runs: 20 },
  { name: 'classifier + heuristic injection detect (the middleware default)', target: (text) => classifier.detect({ text }), size: 4_000, runs: 20 },
  { name: 'PII detect', target: (text) => detector.detect(text), size: 20_000, runs: 25 },
  { name: 'PII detect, names/addresses/dates on', target: (text) => everyType.detect(text), size: 20_000, runs: 25 },
  { name: 'PII redact', target: (text) => redactor.redact(text), size: 20_000, runs: 15 },
  { name: 'local moderation', target: (text) => moderateLocally(text), size: 4_000, runs: 25 },
  { name: 'stream redactor, 1-character chunks', target: streamed(1), size: 2_000, runs: 8 },
  { name: 'stream redactor, 7-character chunks', target: streamed(7), size: 8_000, runs: 8 },
];

describe('guardrails run in linear time on adversarial input', () => {
  it.each(TARGETS)('$name: t(4n)/t(n) stays below 12 (property over adversarial inputs)', async ({ target, size, runs }) => {
    await fc.assert(
      fc.asyncProperty(adversarial, async ({ prefix, unit }) => {
        const ratio = await growth(target, build(prefix, unit), size);
        expect(ratio, `${JSON.stringify(prefix)} + ${JSON.stringify(unit)}… grew ${ratio.toFixed(1)}× for 4× the input`).toBeLessThan(MAX_RATIO);
      }),
      { numRuns: runs, examples: KNOWN.map((known) => [known]) },
    );
  });

  it('the stream redactor holding one long token, fed a character at a time, stays linear (was quadratic)', async () => {
    const ratio = await growth(streamed(1), build('', 'a'), 8_000);
    expect(ratio).toBeLessThan(MAX_RATIO);
  });

  it('the stream redactor holding an unterminated key block longer than maxHoldChars stays linear', async () => {
    const ratio = await growth(streamed(1), build('-----BEGIN RSA PRIVATE KEY-----\n', 'a'), 10_000);
    expect(ratio).toBeLessThan(MAX_RATIO);
  });
});
