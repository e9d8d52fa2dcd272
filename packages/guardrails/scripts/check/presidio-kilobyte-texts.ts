import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The bench's ~1 KB texts (consecutive presidio-synth rows joined until 1,000 characters), read for
 * speed only: the rows' labels are never looked at. Same construction as apps/bench's kilobyteTexts,
 * which a package script cannot import.
 */
export function presidioKilobyteTexts(dataDir: string): string[] {
  const rows = JSON.parse(readFileSync(path.join(dataDir, 'pii/presidio-synth-v2.json'), 'utf8')) as { full_text: string }[];
  const texts: string[] = [];
  let current = '';
  for (const row of rows) {
    current += row.full_text + '\n';
    if (current.length >= 1000) {
      texts.push(current);
      current = '';
    }
  }
  return texts;
}
