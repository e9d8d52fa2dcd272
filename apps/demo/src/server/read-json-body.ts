import type { IncomingMessage } from 'node:http';
import { CascadeError } from '@cascade/core';
import { HttpError } from './http-error';
import { createJsonShapeGuard } from './json-shape-guard';

/** Limits of {@link readJsonBody}. */
export interface JsonBodyLimits {
  /** Largest body in bytes (413 above). */
  maxBytes: number;
  /** Deepest nesting of arrays and objects (400 `json_too_deep` above). */
  maxDepth: number;
  /** Most JSON values: arrays, objects, comma-separated items (400 `json_too_complex` above). */
  maxValues: number;
}

/** A parsed body and its size, to charge the tenant's parse budget. */
export interface JsonBody {
  value: unknown;
  bytes: number;
}

/**
 * Reads a request body as JSON in time linear in its size: refuses bodies over `maxBytes` (413,
 * from `Content-Length` before reading, or as soon as the count passes it), nesting over `maxDepth`
 * or more than `maxValues` values (400, on the byte that passes it, before `JSON.parse`), and bad
 * JSON (400). The parser's message is not echoed: it quotes the body (the prompt); only the
 * position goes to the log. A refused body is left paused, for the caller to drain or drop.
 */
export async function readJsonBody(request: IncomingMessage, limits: JsonBodyLimits): Promise<JsonBody> {
  const { maxBytes } = limits;
  const declared = Number(request.headers['content-length']);
  const tooLarge = (): HttpError => new HttpError(413, 'invalid_request_error', 'request_too_large', `The request body is larger than ${maxBytes} bytes.`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(400, 'invalid_request_error', 'invalid_content_type', 'Send the body as JSON with "Content-Type: application/json".');
  const shape = createJsonShapeGuard(limits);
  const chunks: Buffer[] = [];
  let size = 0;
  // Listeners, not `for await`: leaving a `for await` early destroys the request, and with it the
  // socket under the error answer; paused, the rest of a refused body can still be drained.
  await new Promise<void>((resolve, reject) => {
    const stop = (error?: unknown): void => {
      request.off('data', onData).off('end', onEnd).off('error', stop).off('close', onClose);
      if (error === undefined) {
        resolve();
      } else {
        request.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      try {
        if (size > maxBytes) throw tooLarge();
        shape.feed(chunk);
      } catch (error) {
        stop(error);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => stop();
    const onClose = (): void => stop(new CascadeError('ABORTED', 'The client closed the connection while sending the body.'));
    request.on('data', onData).on('end', onEnd).on('error', stop).on('close', onClose);
  });
  const text = Buffer.concat(chunks, size).toString('utf8');
  if (text.trim().length === 0) throw new HttpError(400, 'invalid_request_error', 'invalid_json', 'The request body is empty: send a JSON object.');
  try {
    return { value: JSON.parse(text), bytes: size };
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new HttpError(400, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON.', {}, null, `JSON.parse failed${position ? ` at position ${position}` : ''} (${size} bytes)`);
  }
}
