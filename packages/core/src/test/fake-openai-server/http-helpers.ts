import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a request body; `undefined` when the client went away before sending all of it. */
export async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of request) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON response unless the connection is already gone. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text).toString(), 'x-request-id': `req_fake_${status}`, ...headers });
  response.end(text);
}

/** OpenAI's error `type` for a status. */
function errorType(status: number): string {
  if (status === 401) return 'invalid_authentication';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Sends an OpenAI-shaped error: `{ error: { message, type, param, code } }`. */
export function sendError(response: ServerResponse, status: number, message: string, options: { code?: string; param?: string; headers?: Record<string, string> } = {}): void {
  sendJson(response, status, { error: { message, type: errorType(status), param: options.param ?? null, code: options.code ?? null } }, options.headers);
}

/** Writes one chunk and resolves once it is handed to the socket, so a later cut does not drop it. */
export function writeChunk(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) {
      resolve();
      return;
    }
    response.write(text, () => resolve());
  });
}

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A small `multipart/form-data` parser, enough for the SDK's file uploads. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | undefined {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
      if (name !== undefined) {
        parts.push({ name, data: part.subarray(headerEnd + 4), ...(filename !== undefined ? { filename } : {}), ...(partType ? { contentType: partType.trim() } : {}) });
      }
    }
    position = next;
  }
  return parts;
}
