import { durationSchema } from '../duration/duration';

/**
 * How long a token or budget reservation holds its amount when it is never settled or released
 * (a crashed process, a lost promise). After it, the first decision on the key gives the held amount
 * back. Requests must finish well within it. @default '10 m'
 */
export const reservationLeaseSchema = durationSchema.default(600_000);

/** What `settle`/`commit`/`release` of a reservation did. */
export interface SettleResult {
  /**
   * `false` when this call did nothing: the reservation was already settled or released, never held
   * (denied), or the store was unavailable (the hold then lapses after its lease).
   */
  readonly settled: boolean;
  /**
   * `true` when the lease had lapsed before this settle: the reserved amount had already been given
   * back, so the actual amount was counted now, in full (nothing refunded twice, never below zero).
   * `release` after a lapse changes nothing.
   */
  readonly expired: boolean;
}

export const NOT_SETTLED: SettleResult = Object.freeze({ settled: false, expired: false });
export const SETTLED: SettleResult = Object.freeze({ settled: true, expired: false });
export const SETTLED_LATE: SettleResult = Object.freeze({ settled: true, expired: true });

const randomPart = (): string => {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  let text = '';
  for (const byte of bytes) text += byte.toString(36).padStart(2, '0');
  return text;
};
const PROCESS_PART = randomPart();
let sequence = 0;

/** A reservation id unique across processes: a random per-process part and a counter. */
export function newHoldId(): string {
  sequence += 1;
  return `${PROCESS_PART}.${sequence.toString(36)}`;
}
