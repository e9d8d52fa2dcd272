import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CascadeResult, LearningStats } from '@cascade/core';
import { hashApiKey, hashesEqual } from '../users/api-key';
import { HttpError } from '../server/http-error';
import type { AccessLogEntry } from '../server/request-log';
import { type DashboardRecorder, createDashboardRecorder } from './dashboard-recorder';
import { DENIAL_CODES, toAnsweredRequest } from './request-outcome';
import { type ServerMetrics, createServerMetrics } from './server-metrics';

/** What the demo server tells its observer, and the routes the observer serves. */
export interface ServerObserver {
  /** Serves `GET /metrics`, `/dashboard`, `/dashboard/data` and the page's scripts; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean>;
  /** A completion was answered (plain or streamed). */
  answered(userId: string, result: CascadeResult): void;
  /** Every request, with its access-log line (status, code, duration). */
  served(entry: AccessLogEntry): void;
}

/** Options of {@link createServerObserver}. */
export interface ServerObserverOptions {
  /**
   * The operator's key for `/metrics` and the dashboard's data (`Authorization: Bearer <key>`), at
   * least 16 characters. Without it those routes answer 404 saying how to turn them on.
   */
  adminKey?: string | undefined;
  metrics?: ServerMetrics;
  recorder?: DashboardRecorder;
  /** The learning cascade's live figures per drafter (`agent.stats()`), shown on the dashboard. */
  learningStats?: () => LearningStats;
}

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const require = createRequire(import.meta.url);

/** The page's files: two of ours, and Chart.js's UMD build from node_modules (no build step). */
const ASSETS: Readonly<Record<string, { file: () => string; type: string }>> = {
  '/dashboard': { file: () => join(STATIC_DIR, 'dashboard.html'), type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.js': { file: () => join(STATIC_DIR, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/dashboard.css': { file: () => join(STATIC_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/dashboard/chart.js': { file: () => join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Routes of the metrics label: a path the server does not know is `other` (bounded cardinality). */
const KNOWN_ROUTES = new Set(['/v1/chat/completions', '/v1/ui/chat', '/v1/models', '/v1/usage', '/metrics', '/dashboard', '/dashboard/data']);

/**
 * The server's observability: Prometheus metrics (`/metrics`, prom-client text format) and the
 * dashboard (`/dashboard`: a static page with Chart.js over `/dashboard/data`, this process's last
 * three hours in minute buckets). Both data routes need the admin key; the page itself holds no data
 * and asks for the key (kept in the tab's sessionStorage, or given as `#key=…`, which is never sent).
 */
export function createServerObserver(options: ServerObserverOptions = {}): ServerObserver {
  const metrics = options.metrics ?? createServerMetrics();
  const recorder = options.recorder ?? createDashboardRecorder();
  const adminHash = options.adminKey ? hashApiKey(options.adminKey) : undefined;
  const cache = new Map<string, Buffer>();

  function requireAdmin(request: IncomingMessage, path: string): void {
    if (!adminHash) throw new HttpError(404, 'not_found_error', 'admin_key_not_set', `${path} is off: start the server with CASCADE_ADMIN_KEY (or --admin-key) set to a secret of 16+ characters, and send it as "Authorization: Bearer <key>".`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match || !hashesEqual(hashApiKey(match[1]!), adminHash)) {
      throw new HttpError(401, 'authentication_error', 'invalid_admin_key', `${path} needs the admin key: "Authorization: Bearer <CASCADE_ADMIN_KEY>".`, { 'www-authenticate': 'Bearer' });
    }
  }

  const send = (response: ServerResponse, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    response.writeHead(200, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', ...extra });
    response.end(body);
  };

  return {
    async handle(request, response, path) {
      const asset = ASSETS[path];
      if (path !== '/metrics' && path !== '/dashboard/data' && !asset) return false;
      if (request.method !== 'GET') throw new HttpError(405, 'invalid_request_error', 'method_not_allowed', `Use GET ${path}.`, { allow: 'GET' });
      if (path === '/metrics') {
        requireAdmin(request, path);
        send(response, metrics.registry.contentType, await metrics.registry.metrics());
      } else if (path === '/dashboard/data') {
        requireAdmin(request, path);
        send(response, 'application/json; charset=utf-8', JSON.stringify({ ...recorder.snapshot(), drafters: options.learningStats?.().drafters ?? [] }));
      } else {
        let body = cache.get(path);
        if (!body) cache.set(path, (body = await readFile(asset!.file())));
        send(response, asset!.type, body, SECURITY_HEADERS);
      }
      return true;
    },
    answered(userId, result) {
      const answered = toAnsweredRequest(userId, result);
      metrics.answered(answered);
      recorder.answered(answered, result.latencyMs);
    },
    served(entry) {
      const denial = entry.code !== undefined && DENIAL_CODES.has(entry.code) ? entry.code : undefined;
      metrics.served(KNOWN_ROUTES.has(entry.path) ? entry.path : 'other', entry.status, entry.ms / 1000, denial);
      if (denial) recorder.denied(denial, entry.userId);
    },
  };
}
