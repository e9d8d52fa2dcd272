import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { type Trace, type TraceModels, traceModelsSchema, traceSchema } from './trace-schema';

/**
 * Parses JSON Lines traces. Every line is validated; a bad line is an `INVALID_INPUT` error naming
 * the source, the line number and the field. Lines with the same `id` merge their responses
 * (a recorder appends one line per model answer).
 *
 * @example
 * const traces = parseTraces(fs.readFileSync('gsm8k.traces.jsonl', 'utf8'), 'gsm8k.traces.jsonl');
 */
export function parseTraces(text: string, source = 'traces'): Trace[] {
  const byId = new Map<string, Trace>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line.length === 0) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new CascadeError('INVALID_INPUT', `${source}:${index + 1}: not valid JSON (${(error as Error).message}). Each line must be one JSON object.`, { cause: error });
    }
    const parsed = traceSchema.safeParse(json);
    if (!parsed.success) {
      throw new CascadeError('INVALID_INPUT', `${source}:${index + 1}: not a valid trace:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
    }
    const existing = byId.get(parsed.data.id);
    if (existing) Object.assign(existing.responses, parsed.data.responses);
    else byId.set(parsed.data.id, parsed.data);
  }
  return [...byId.values()];
}

/** Reads and parses a `.traces.jsonl` file (see {@link parseTraces}). */
export async function readTraceFile(path: string): Promise<Trace[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CascadeError('INVALID_INPUT', `Cannot read trace file ${path}: ${(error as Error).message}. Pass the path of a .traces.jsonl file.`, { cause: error });
  }
  return parseTraces(text, path);
}

/** Reads the `X.models.json` beside a trace file; `path` may be the trace file itself. */
export async function readTraceModels(path: string): Promise<TraceModels> {
  const modelsPath = path.endsWith('.traces.jsonl') ? path.replace(/\.traces\.jsonl$/, '.models.json') : path;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(modelsPath, 'utf8'));
  } catch (error) {
    throw new CascadeError('INVALID_INPUT', `Cannot read models file ${modelsPath}: ${(error as Error).message}. It must stand beside the trace file as X.models.json.`, { cause: error });
  }
  const parsed = traceModelsSchema.safeParse(json);
  if (!parsed.success) throw new CascadeError('INVALID_INPUT', `${modelsPath}: not a valid models file:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}
