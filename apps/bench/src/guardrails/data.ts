import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the shared evaluation data: `CASCADE_DATA_DIR`, else `../shared/data` beside the repo. */
export function dataDir(): string {
  if (process.env.CASCADE_DATA_DIR) return process.env.CASCADE_DATA_DIR;
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '../../../../../shared/data');
}

export interface PresidioSpan {
  entity_type: string;
  entity_value: string;
  start_position: number;
  end_position: number;
}
export interface PresidioRow {
  full_text: string;
  spans: PresidioSpan[];
}

export function loadPresidio(file: string): PresidioRow[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as PresidioRow[];
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array of {full_text, spans}`);
  return rows;
}

export interface ModerationRow {
  prompt: string;
  labels: Partial<Record<string, 0 | 1>>;
}

export function loadModeration(file: string): ModerationRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { prompt, ...labels } = JSON.parse(line) as { prompt: string } & Record<string, 0 | 1>;
      return { prompt, labels };
    });
}

export interface XstestRow {
  prompt: string;
  type: string;
  label: 'safe' | 'unsafe';
}

/** Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function loadXstest(file: string): XstestRow[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const column = (name: string): number => header!.indexOf(name);
  return rows
    .filter((row) => row.length >= header!.length)
    .map((row) => ({ prompt: row[column('prompt')]!, type: row[column('type')]!, label: row[column('label')] as 'safe' | 'unsafe' }));
}

export interface CyberSecEvalRow {
  test_case_prompt: string;
  user_input: string;
  injection_variant: string;
  injection_type: string;
}

export function loadCyberSecEval(file: string): CyberSecEvalRow[] {
  return JSON.parse(readFileSync(file, 'utf8')) as CyberSecEvalRow[];
}

/** Every prompt and recorded answer of the trace files (text without labeled PII). */
export function loadTraceTexts(directory: string): string[] {
  const texts: string[] = [];
  for (const file of ['gsm8k-routellm.traces.jsonl', 'mtbench-routellm.traces.jsonl']) {
    for (const line of readFileSync(path.join(directory, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { prompt: string; responses: Record<string, { text: string }> };
      texts.push(row.prompt, ...Object.values(row.responses).map((response) => response.text));
    }
  }
  return texts;
}

/** The user prompts of the trace files (benign questions). */
export function loadTracePrompts(directory: string): string[] {
  const prompts: string[] = [];
  for (const file of ['gsm8k-routellm.traces.jsonl', 'mtbench-routellm.traces.jsonl']) {
    for (const line of readFileSync(path.join(directory, file), 'utf8').split('\n')) {
      if (line.trim() !== '') prompts.push((JSON.parse(line) as { prompt: string }).prompt);
    }
  }
  return prompts;
}
