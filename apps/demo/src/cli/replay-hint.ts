import { CascadeError } from '@cascade/core';
import type { DemoModels } from '../agent/demo-models';
import type { Terminal } from './terminal';

/** Explains a replay miss: offline, only recorded questions have answers. True when it handled the error. */
export function explainReplayMiss(error: unknown, models: DemoModels, terminal: Terminal): boolean {
  if (!CascadeError.isInstance(error) || !models.traceSet) return false;
  const missed = error.code === 'REPLAY_MISS' || (error.code === 'ALL_MODELS_FAILED' && /\bREPLAY_MISS\b/.test(error.message));
  if (!missed) return false;
  terminal.line('Offline, the demo replays recorded answers, so it can only answer recorded questions. Try one of:');
  for (const trace of models.traceSet.traces.slice(0, 3)) terminal.line(`  pnpm demo ask ${JSON.stringify(trace.prompt.replace(/\s+/g, ' ').trim())}`);
  terminal.line('Or set OPENAI_API_KEY / OPENAI_BASE_URL and CASCADE_MODELS for live models (see the README).');
  return true;
}
