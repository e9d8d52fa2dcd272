import { CascadeError, type ModelPrice } from '@cascade/core';
import { type Trace, type TraceModels, modelsByCost, readTraceFile, readTraceModels, replayPrices } from '@cascade/core/replay';

/** A quality label of one recorded answer: `correct` (0/1) or a judge `score` (0..1). */
export interface AnswerLabel {
  quality: number;
  kind: 'correct' | 'score';
}

/** Recorded traces with their models, prices and labels. Labels are for reporting only. */
export interface TraceSet {
  readonly traces: readonly Trace[];
  /** Model ids, cheapest first. */
  readonly modelIds: readonly string[];
  readonly prices: Readonly<Record<string, ModelPrice>>;
  /** The label of `modelId`'s recorded answer to `traceId`, when the trace has one. */
  label(traceId: string, modelId: string): AnswerLabel | undefined;
  /** The trace a prompt came from (exact prompt text). */
  traceOfPrompt(prompt: string): Trace | undefined;
}

/**
 * Reads trace files and the `X.models.json` beside each. Every file must hold the same models.
 *
 * @throws CascadeError `INVALID_INPUT` for a missing or malformed file (from core's reader).
 */
export async function loadTraceSet(files: readonly string[]): Promise<TraceSet> {
  if (files.length === 0) throw new CascadeError('INVALID_INPUT', 'No trace file given: pass --traces <file.traces.jsonl>.');
  const traces: Trace[] = [];
  let models: TraceModels | undefined;
  const prices: Record<string, ModelPrice> = {};
  for (const file of files) {
    traces.push(...(await readTraceFile(file)));
    const fileModels = await readTraceModels(file);
    models ??= fileModels;
    Object.assign(prices, replayPrices(fileModels));
  }
  const modelIds = modelsByCost(models!);
  const byId = new Map(traces.map((trace) => [trace.id, trace]));
  const byPrompt = new Map(traces.map((trace) => [trace.prompt, trace]));
  return {
    traces,
    modelIds,
    prices,
    label(traceId, modelId) {
      const response = byId.get(traceId)?.responses[modelId];
      if (!response) return undefined;
      if (response.correct !== undefined) return { quality: response.correct ? 1 : 0, kind: 'correct' };
      if (response.score !== undefined) return { quality: response.score, kind: 'score' };
      return undefined;
    },
    traceOfPrompt: (prompt) => byPrompt.get(prompt),
  };
}
