/**
 * Runs the peer PII libraries (openredaction, redact-pii) in a worker thread so the main thread can
 * terminate a call that hangs. Protocol: { id, library, text } in; { id, spans, ms } or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { OpenRedaction } from 'openredaction';
import { SyncRedactor } from 'redact-pii';

export interface PeerRequest {
  id: number;
  library: 'openredaction' | 'redact-pii';
  text: string;
}
export interface PeerSpan {
  type: string;
  start: number;
  end: number;
}
export type PeerResponse = { id: number; spans: PeerSpan[]; ms: number } | { id: number; error: string };

const openRedaction = new OpenRedaction({ redactionMode: 'placeholder' });

// redact-pii ignores per-type `replaceWith` for its built-ins and writes fixed upper-case names;
// spans are recovered by aligning the text between those names with the original.
const REDACT_PII_NAMES = ['CREDIT_CARD_NUMBER', 'EMAIL_ADDRESS', 'IP_ADDRESS', 'PHONE_NUMBER', 'US_SOCIAL_SECURITY_NUMBER', 'URL', 'PERSON_NAME', 'STREET_ADDRESS', 'ZIPCODE', 'DIGITS', 'USERNAME', 'PASSWORD', 'CREDENTIALS'];
const REDACT_PII_SPLIT = new RegExp(`(${REDACT_PII_NAMES.join('|')})`);
const redactPii = new SyncRedactor();

/** Recovers spans from redact-pii's output (it returns only text) by aligning literal pieces. */
function alignSpans(original: string, redacted: string): PeerSpan[] {
  const spans: PeerSpan[] = [];
  const pieces = redacted.split(REDACT_PII_SPLIT);
  let position = pieces[0]!.length;
  for (let index = 1; index < pieces.length; index += 2) {
    const type = pieces[index]!;
    const literal = pieces[index + 1]!;
    let end: number;
    if (literal.length === 0) end = index + 2 >= pieces.length ? original.length : position + 1;
    else {
      end = original.indexOf(literal, position + 1);
      if (end < 0) end = original.length;
    }
    spans.push({ type, start: position, end });
    position = end + literal.length;
  }
  return spans;
}

parentPort!.on('message', (request: PeerRequest) => {
  void (async () => {
    try {
      const started = performance.now();
      let spans: PeerSpan[];
      if (request.library === 'openredaction') {
        const result = await openRedaction.detect(request.text);
        spans = result.detections.map((detection) => ({ type: detection.type, start: detection.position[0], end: detection.position[1] }));
      } else {
        spans = alignSpans(request.text, redactPii.redact(request.text));
      }
      const ms = performance.now() - started;
      parentPort!.postMessage({ id: request.id, spans, ms } satisfies PeerResponse);
    } catch (error) {
      parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies PeerResponse);
    }
  })();
});
