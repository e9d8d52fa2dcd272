import { Worker } from 'node:worker_threads';
import type { PeerRequest, PeerResponse, PeerSpan } from './peer-worker';

export type PeerLibrary = PeerRequest['library'];
export type PeerOutcome = { spans: PeerSpan[]; ms: number } | { timedOut: true } | { error: string };

/**
 * Calls a peer library in a worker thread with a per-text time limit; a call over the limit
 * terminates the worker (the only way to stop a hung regex) and the next call starts a fresh one.
 */
export class PeerRunner {
  private worker: Worker | undefined;
  private nextId = 0;

  private ensureWorker(): Worker {
    // The worker is TypeScript: load it through tsx's API, as the bench itself runs under tsx.
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const workerUrl = new URL('./peer-worker.ts', import.meta.url).href;
    this.worker ??= new Worker(`import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(workerUrl)}, ${JSON.stringify(import.meta.url)}))`, { eval: true });
    return this.worker;
  }

  async run(library: PeerLibrary, text: string, timeLimitMs: number): Promise<PeerOutcome> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<PeerOutcome>((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        this.worker = undefined;
        void worker.terminate();
        resolve({ timedOut: true });
      }, timeLimitMs);
      const onMessage = (response: PeerResponse): void => {
        if (response.id !== id) return;
        cleanup();
        resolve('error' in response ? { error: response.error } : { spans: response.spans, ms: response.ms });
      };
      const onError = (error: Error): void => {
        cleanup();
        this.worker = undefined;
        resolve({ error: error.message });
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, library, text } satisfies PeerRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Maps a peer's entity type names onto ours (undefined: a type we do not score). */
export function peerTypeToOurs(library: PeerLibrary, type: string): string | undefined {
  if (library === 'redact-pii') {
    return ({ CREDIT_CARD_NUMBER: 'CREDIT_CARD', EMAIL_ADDRESS: 'EMAIL_ADDRESS', IP_ADDRESS: 'IP_ADDRESS', PHONE_NUMBER: 'PHONE_NUMBER', US_SOCIAL_SECURITY_NUMBER: 'US_SSN', URL: 'URL' } as Record<string, string>)[type];
  }
  const upper = type.toUpperCase();
  if (upper.includes('EMAIL')) return 'EMAIL_ADDRESS';
  if (upper.includes('PHONE')) return 'PHONE_NUMBER';
  if (upper.includes('CREDIT_CARD') || upper === 'CARD_NUMBER') return 'CREDIT_CARD';
  if (upper === 'SSN' || upper === 'US_SSN') return 'US_SSN';
  if (upper === 'IPV4' || upper === 'IPV6' || upper === 'IP_ADDRESS' || upper === 'IP') return 'IP_ADDRESS';
  if (upper.includes('IBAN')) return 'IBAN_CODE';
  if (upper === 'URL' || upper === 'WEBSITE') return 'URL';
  return undefined;
}
