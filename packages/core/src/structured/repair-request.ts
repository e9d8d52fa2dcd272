import type { ChatRequest } from '../model/chat-request';
import type { QualityVerdict } from '../quality/quality-validator';

/**
 * The request of the one bounded repair of a structured-output draft that failed its schema: the
 * conversation, the rejected answer, and what was wrong with it. `run` and the streaming driver use it,
 * so both repair the same way.
 *
 * @param request - the request the draft answered.
 * @param draftText - the rejected answer.
 * @param verdict - its failed verdict (the `output-schema` signal says what was wrong).
 */
export function repairRequest(request: ChatRequest, draftText: string, verdict: QualityVerdict): ChatRequest {
  const detail = verdict.signals.find((signal) => signal.name === 'output-schema')?.detail ?? verdict.reason;
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: draftText },
      { role: 'user', content: `Your answer was rejected: ${detail}. Reply again with only the corrected JSON, matching the requested schema exactly.` },
    ],
  };
}
