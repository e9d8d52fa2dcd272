/**
 * The batch's spend cap: committed (settled) cost plus reserved (pre-flight estimates of running
 * items). An item starts only when committed + reserved + its estimate stays within the cap.
 */
export class BatchBudget {
  committedUsd = 0;
  reservedUsd = 0;
  private holds = 0;

  constructor(readonly limitUsd: number | undefined) {}

  /** True when an item with this estimate may start now. */
  fits(estimateUsd: number): boolean {
    return this.limitUsd === undefined || this.committedUsd + this.reservedUsd + estimateUsd <= this.limitUsd;
  }

  /** True when nothing is reserved (waiting for a settle cannot make room). */
  get idle(): boolean {
    return this.holds === 0;
  }

  reserve(estimateUsd: number): void {
    this.holds++;
    this.reservedUsd += estimateUsd;
  }

  /** Replaces a reservation with what was actually spent. */
  settle(estimateUsd: number, actualUsd: number): void {
    this.holds--;
    // Floating-point sums drift: snap to zero when nothing is held.
    this.reservedUsd = this.holds === 0 ? 0 : Math.max(0, this.reservedUsd - estimateUsd);
    this.committedUsd += actualUsd;
  }
}
