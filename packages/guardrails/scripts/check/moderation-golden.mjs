/**
 * Golden check for changes that must not change results (speed work): runs `moderateLocally`
 * (default, `mode: 'model'`, `mode: 'lexicon'`) and both classifier injection detectors over the
 * trace texts and lines of the training corpora, writes one JSON line per text and prints the
 * SHA-256 of them all. Run it on two builds and compare:
 * `CASCADE_DATA_DIR=/path/to/data node scripts/check/moderation-golden.mjs "$PWD/dist/index.js" /tmp/golden-new.txt`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
const g = await import(process.argv[2]);
const out = process.argv[3];
const data = process.env.CASCADE_DATA_DIR ?? '../shared/data';
const texts = [];
for (const f of ['gsm8k-routellm', 'mtbench-routellm', 'routerbench-train']) {
  for (const line of readFileSync(`${data}/traces/${f}.traces.jsonl`, 'utf8').split('\n')) {
    if (!line) continue;
    const row = JSON.parse(line);
    texts.push(row.prompt);
    for (const r of Object.values(row.responses ?? {})) if (r?.text) texts.push(r.text);
  }
}
const mod = readFileSync(`${data}/train/moderation.jsonl`, 'utf8').split('\n').filter(Boolean);
for (const line of mod.slice(0, 4000)) texts.push(JSON.parse(line).text);
for (let i = 4000; i < mod.length; i += 40) texts.push(JSON.parse(mod[i]).text);
const inj = readFileSync(`${data}/train/injection.jsonl`, 'utf8').split('\n').filter(Boolean);
for (const line of inj.slice(0, 2000)) texts.push(JSON.parse(line).text);
const det = g.createClassifierInjectionDetector();
const detNoH = g.createClassifierInjectionDetector({ heuristics: false });
const hash = createHash('sha256');
const lines = [];
for (const text of texts) {
  const row = JSON.stringify([g.moderateLocally(text), g.moderateLocally(text, { mode: 'model' }), g.moderateLocally(text, { mode: 'lexicon' }), await det.detect({ text }), await detNoH.detect({ text })]);
  hash.update(row);
  lines.push(row);
}
writeFileSync(out, lines.join('\n'));
console.log(texts.length, 'texts', hash.digest('hex'));
