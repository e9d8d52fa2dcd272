import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/** Reads a request body as JSON, refusing bodies over `maxBytes` (413) and bad JSON (400). */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  const tooLarge = (): HttpError => new HttpError(413, 'invalid_request_error', 'request_too_large', `The request body is larger than ${maxBytes} bytes.`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(400, 'invalid_request_error', 'invalid_content_type', 'Send the body as JSON with "Content-Type: application/json".');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim().length === 0) throw new HttpError(400, 'invalid_request_error', 'invalid_json', 'The request body is empty: send a JSON object.');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON.');
  }
}
