import { CascadeError, type CascadeInput, type CascadeResult, type ChatRequest, lastUserText, normalizeInput } from '@cascade/core';
import type { DemoAgent } from '../agent/create-demo-agent';
import type { DemoModels } from '../agent/demo-models';
import type { Terminal } from '../cli/terminal';
import type { RunLedger } from '../report/run-ledger';
import type { TourQuestions } from './tour-questions';

/** What every tour step works with. */
export interface TourContext {
  readonly terminal: Terminal;
  readonly demo: DemoAgent;
  readonly models: DemoModels;
  readonly ledger: RunLedger;
  readonly questions: TourQuestions;
  /** The last request each model received (after guards). */
  readonly seenByModel: Map<string, ChatRequest>;
}

/** The outcome of one question: an answer, or a typed denial. */
export type AskOutcome = { ok: true; result: CascadeResult } | { ok: false; error: CascadeError };

/** Runs one question through the whole pipeline and records it (answers and denials) in the ledger. */
export async function ask(context: TourContext, userId: string, input: CascadeInput): Promise<AskOutcome> {
  const prompt = lastUserText(normalizeInput(input).messages);
  try {
    const result = await context.demo.agent.run(input, { userId });
    context.ledger.record(result, { userId, prompt });
    return { ok: true, result };
  } catch (error) {
    if (!CascadeError.isInstance(error)) throw error;
    const profile = context.demo.profiles.peek(userId);
    context.ledger.deny({ userId, tier: profile?.tier.name ?? 'unknown', code: error.code, retryAfterMs: error.retryAfterMs });
    return { ok: false, error };
  }
}

/** `59m 58s`, `3h 2m`, `12s`. */
export function formatRetryAfter(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** A one-line preview of a prompt or answer. */
export function preview(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
