import type { AccessLogEntry, AccessLogger } from './request-log';

/** Settings of {@link createAuthFailureLog}. */
export interface AuthFailureLogSettings {
  /** Length of one sampling window. @default 10000 */
  windowMs?: number;
  /** Failed authentications logged line by line per window; the rest are counted. @default 10 */
  linesPerWindow?: number;
  now?: () => number;
}

/** Logs failed authentications without letting a flood of them flood the log. */
export interface AuthFailureLog {
  record(entry: AccessLogEntry): void;
  /** Writes the summary of the current window, if anything was held back (on shutdown). */
  flush(): void;
}

/**
 * Samples failed-authentication lines: the first `linesPerWindow` of each window are logged as
 * they come, the rest only counted, and one summary line (`code: 'auth_failures_not_logged'`,
 * `count`, the busiest address) is written when the next window starts or on `flush`. No timer:
 * a window closes when the next failure or the shutdown looks at it.
 */
export function createAuthFailureLog(log: AccessLogger, settings: AuthFailureLogSettings = {}): AuthFailureLog {
  const windowMs = settings.windowMs ?? 10_000;
  const linesPerWindow = settings.linesPerWindow ?? 10;
  const now = settings.now ?? Date.now;
  let windowStart = now();
  let logged = 0;
  let held = 0;
  // Bounded: at most one entry per address held back in one window, and at most 1,000 addresses.
  const byAddress = new Map<string, number>();

  const flush = (): void => {
    if (held > 0) {
      let busiest: [string, number] | undefined;
      for (const entry of byAddress) if (!busiest || entry[1] > busiest[1]) busiest = entry;
      log({
        method: '-', path: '-', status: 401, userId: undefined, ms: 0, code: 'auth_failures_not_logged', count: held,
        detail: `${held} failed authentications in ${Math.round((now() - windowStart) / 1000)} s were not logged one by one (from ${byAddress.size}${byAddress.size >= 1_000 ? '+' : ''} addresses; most from ${busiest![0]}: ${busiest![1]})`,
      });
    }
    windowStart = now();
    logged = 0;
    held = 0;
    byAddress.clear();
  };

  return {
    record(entry) {
      if (now() - windowStart >= windowMs) flush();
      if (logged < linesPerWindow) {
        logged++;
        log(entry);
        return;
      }
      held++;
      const address = entry.address ?? 'unknown';
      const count = byAddress.get(address);
      if (count !== undefined) byAddress.set(address, count + 1);
      else if (byAddress.size < 1_000) byAddress.set(address, 1);
    },
    flush,
  };
}
