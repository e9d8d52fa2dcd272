import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CascadeMiddleware, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { createSqliteAuditStore } from '@cascade/profiles/sqlite';
import { metrics, trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { openDemoObservability } from './demo-observability';

const directory = mkdtempSync(join(tmpdir(), 'cascade-demo-obs-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } } });

function agentWith(middleware: readonly CascadeMiddleware[]) {
  const principal = { userId: 'ada', tier: 'pro', attributes: { auditLogLevel: 'comprehensive' } };
  const resolver = { name: 'who', resolve: () => ({ principal }) };
  return createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap', responses: [{ text: 'Write to ada@example.com' }] }), new MockChatModel({ modelId: 'strong' })], pricing, learning: false, policy: { qualityTarget: 0 }, middleware: [resolver, ...middleware] });
}

describe('openDemoObservability', () => {
  it('audits every request in the SQLite file, with comprehensive text PII-redacted; close flushes', async () => {
    const file = join(directory, 'audit.sqlite');
    const observability = openDemoObservability({}, { kind: 'sqlite', filename: file });
    const agent = agentWith(observability.middleware);
    await agent.run('My e-mail is ada@example.com, answer me there');
    await observability.close();
    const store = createSqliteAuditStore({ filename: file });
    const [record] = await store.listByUser('ada');
    await store.close();
    expect(record).toMatchObject({ level: 'comprehensive', outcome: 'success', models: ['cheap'] });
    expect(JSON.stringify(record)).not.toContain('ada@example.com');
    expect(record!.prompt?.[0]?.content).toContain('[EMAIL_ADDRESS]');
  });

  it('CASCADE_AUDIT=off keeps only telemetry', async () => {
    const observability = openDemoObservability({ CASCADE_AUDIT: 'off' }, { kind: 'sqlite', filename: join(directory, 'off.sqlite') });
    expect(observability.audit).toBeUndefined();
    expect(observability.middleware.map((middleware) => middleware.name)).toEqual(['telemetry']);
    await observability.close();
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT sends the spans over OTLP/HTTP', async () => {
    const received: { url: string; body: string }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ url: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const previous = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = `http://127.0.0.1:${port}`;
    try {
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, CASCADE_AUDIT: 'off' };
      const observability = openDemoObservability(env, { kind: 'sqlite', filename: join(directory, 'unused.sqlite') });
      await agentWith(observability.middleware).run('hello');
      await observability.close();
      const traces = received.filter((entry) => entry.url === '/v1/traces').map((entry) => entry.body).join('');
      expect(traces).toContain('invoke_agent cascade');
      expect(traces).toContain('chat cheap');
      expect(traces).toContain('gen_ai.request.model');
      expect(received.some((entry) => entry.url === '/v1/metrics' && entry.body.includes('gen_ai.client.token.usage'))).toBe(true);
    } finally {
      if (previous === undefined) delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
      else process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = previous;
      trace.disable();
      metrics.disable();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
