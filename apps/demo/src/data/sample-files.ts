import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');

/** The trace sample shipped with the demo (see data/NOTICE.md): GSM8K first, then MT-bench. */
export const SAMPLE_TRACE_FILES: readonly string[] = Object.freeze([
  resolve(dataDir, 'gsm8k-sample.traces.jsonl'),
  resolve(dataDir, 'mtbench-sample.traces.jsonl'),
]);
