import type { EvaluateRequest, EvaluateResult, KeyOperation } from '../counter/counter';

/** `true` when a store applied `request`'s amounts (it had room, or it was forced). */
export function wasApplied(request: EvaluateRequest, result: EvaluateResult): boolean {
  return result.unavailable === undefined && (result.allowed || request.force);
}

/**
 * The request that undoes an applied admission whose caller gave up (aborted, timed out, or was
 * refused on a store timeout): everything it took is given back at the time it was taken, and the
 * reservation it opened is closed. `undefined` when there is nothing to undo: refunds, and
 * settlements (`settle` or `refundAtMs` set), whose late effect is wanted.
 *
 * With a hold, the undo settles it by id: while the hold is live every amount comes back; once it
 * lapsed (the held part was already given back) only the rest does. Undo at the original `nowMs`,
 * so calendar periods and refunds line up with what was taken.
 *
 * `applied: 'unknown'` (the store call failed: it may or may not have run) undoes only what the hold
 * proves: where the hold is live everything comes back, elsewhere nothing. Without a hold nothing
 * can be proven, so there is no undo.
 */
export function undoRequestOf(request: EvaluateRequest, applied: 'yes' | 'unknown' = 'yes'): EvaluateRequest | undefined {
  // Settlements (they close a reservation; an overrun may take more) are never undone.
  if (request.settle !== undefined || request.refundAtMs !== undefined) return undefined;
  if (applied === 'unknown' && request.hold === undefined) return undefined;
  let any = false;
  const operations = request.operations.map((operation): KeyOperation => {
    const amounts = operation.amounts.map((amount) => (amount > 0 ? -amount : 0));
    if (amounts.some((amount) => amount !== 0)) any = true;
    const periods = operation.periods;
    const undo: KeyOperation = {
      namespace: operation.namespace,
      key: operation.key,
      layout: operation.layout,
      capacity: operation.capacity,
      refill: operation.refill,
      amounts,
      ...(periods === undefined ? {} : { periods, refundPeriodStarts: periods.map((period) => period?.start) }),
    };
    if (request.hold === undefined) return undo;
    const held = operation.held;
    const lateAmounts = applied === 'unknown' ? amounts.map(() => 0) : operation.amounts.map((amount, index) => (amount > 0 ? -(amount - Math.max(0, held?.[index] ?? 0)) : 0));
    return { ...undo, lateAmounts };
  });
  if (!any) return undefined;
  return {
    nowMs: request.nowMs,
    force: true,
    refundAtMs: request.nowMs,
    operations,
    ...(request.hold === undefined ? {} : { settle: request.hold.id }),
  };
}
