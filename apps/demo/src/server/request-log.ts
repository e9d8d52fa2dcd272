/** One access-log line: no headers, no bodies, no keys, no prompt text — only what is safe to keep. */
export interface AccessLogEntry {
  method: string;
  path: string;
  status: number;
  userId: string | undefined;
  ms: number;
  code?: string;
  /** For the operator: what went wrong beyond the code (the internal message the tenant did not see), secrets masked. */
  detail?: string;
  /** The client's address (throttle key), on failed authentications. */
  address?: string;
  /** On a summary line: how many requests it stands for. */
  count?: number;
}

/** Where the server logs. */
export type AccessLogger = (entry: AccessLogEntry) => void;

/** Logs one JSON line per request to a stream. */
export function jsonLinesLogger(stream: NodeJS.WritableStream): AccessLogger {
  return (entry) => void stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry, ms: Math.round(entry.ms) })}\n`);
}
