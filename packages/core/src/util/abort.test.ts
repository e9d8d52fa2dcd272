import { describe, expect, it } from 'vitest';
import { raceAbort } from './abort';

describe('raceAbort', () => {
  it('settles with the promise when the signal does not fire', async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(raceAbort(Promise.reject(new Error('boom')), controller.signal)).rejects.toThrow('boom');
  });

  it('rejects with ABORTED as soon as the signal fires, while the work is still running', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const raced = raceAbort(never, controller.signal, 'The lookup');
    controller.abort();
    await expect(raced).rejects.toMatchObject({ code: 'ABORTED', message: 'The lookup was aborted by the caller.' });
  });

  it('rejects at once with TIMEOUT for a fired timeout signal, and the late rejection is handled', async () => {
    const signal = AbortSignal.abort(new DOMException('late', 'TimeoutError'));
    let rejectLate!: (error: Error) => void;
    const late = new Promise<number>((_resolve, reject) => (rejectLate = reject));
    await expect(raceAbort(late, signal)).rejects.toMatchObject({ code: 'TIMEOUT' });
    rejectLate(new Error('after the abort'));
    await new Promise((resolve) => setImmediate(resolve));
  });
});
