import {
  type CascadeAgent, type CascadeInput, type CascadeResult, type CascadeSession, DEFAULT_MAX_STEPS, ZERO_USAGE, isAbortError, normalizeInput,
  offerTools, runToolLoop, toCascadeError, withTimeout,
} from '@cascade/core';
import type { CascadeStreamEvent } from '../events/stream-event';
import type { ParsedStreamCascadeOptions } from '../options/stream-options';
import { type StreamOutcomeSink, driveTiers } from './drive-stream';

/**
 * The tool loop, streamed: core's `runToolLoop` with each step driven by `doStream` through the
 * session (its own reservation, settled when the step ends), `tool-result` events after each step's
 * calls ran, and one `finish` (or `error`) at the end. Never throws.
 */
export async function driveToolLoop(
  agent: CascadeAgent,
  input: CascadeInput,
  options: ParsedStreamCascadeOptions,
  signal: AbortSignal,
  sink: StreamOutcomeSink,
  emit: (event: CascadeStreamEvent) => void,
): Promise<void> {
  let spentUsage = ZERO_USAGE;
  let spentUsd = 0;
  // `timeoutMs` bounds the whole loop, not each step.
  const joined = withTimeout(signal, options.timeoutMs);
  const loopSignal = joined.signal ?? signal;
  try {
    const tools = options.tools ?? {};
    const result = await runToolLoop({
      request: normalizeInput(offerTools(input, tools)),
      tools,
      maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
      requestId: options.requestId ?? globalThis.crypto.randomUUID(),
      signal: loopSignal,
      options: {
        abortSignal: loopSignal,
        ...(options.userId !== undefined ? { userId: options.userId } : {}),
        ...(options.principal !== undefined ? { principal: options.principal } : {}),
        ...(options.policy !== undefined ? { policy: options.policy } : {}),
      },
      runStep: async (request, stepOptions): Promise<{ result: CascadeResult; session: CascadeSession }> => {
        const session = await agent.begin(request, { ...stepOptions, mode: 'stream' });
        let stepResult: CascadeResult;
        try {
          stepResult = await driveTiers(session, options, emit);
        } catch (error) {
          const typed = session.stopped ? session.stopError() : toCascadeError(error);
          await session.finish(typed.code === 'ABORTED' || isAbortError(error) ? 'aborted' : 'error');
          spentUsd += session.costUsd;
          spentUsage = { ...spentUsage, inputTokens: spentUsage.inputTokens + session.usage.inputTokens, outputTokens: spentUsage.outputTokens + session.usage.outputTokens };
          throw typed;
        }
        const warning = await session.finish('success');
        spentUsd += session.costUsd;
        spentUsage = { ...spentUsage, inputTokens: spentUsage.inputTokens + session.usage.inputTokens, outputTokens: spentUsage.outputTokens + session.usage.outputTokens };
        return { result: warning ? { ...stepResult, warnings: [...stepResult.warnings, warning] } : stepResult, session };
      },
      onToolResults: (step) => {
        for (const toolResult of step.toolResults) {
          emit({ type: 'tool-result', step: step.index, toolCallId: toolResult.toolCallId, toolName: toolResult.toolName, content: toolResult.content, ...(toolResult.error !== undefined ? { error: toolResult.error } : {}) });
        }
      },
    });
    sink.succeed(result);
    emit({ type: 'finish', result });
  } catch (error) {
    const typed = toCascadeError(error);
    sink.fail(typed, spentUsage, spentUsd);
    emit({ type: 'error', error: typed });
  } finally {
    joined.dispose();
  }
}
