/** One access-log line: no headers, no bodies, no keys — only what is safe to keep. */
export interface AccessLogEntry {
  method: string;
  path: string;
  status: number;
  userId: string | undefined;
  ms: number;
  code?: string;
}

/** Where the server logs. */
export type AccessLogger = (entry: AccessLogEntry) => void;

/** Logs one JSON line per request to a stream. */
export function jsonLinesLogger(stream: NodeJS.WritableStream): AccessLogger {
  return (entry) => void stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry, ms: Math.round(entry.ms) })}\n`);
}
