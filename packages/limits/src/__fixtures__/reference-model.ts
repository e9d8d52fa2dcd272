/**
 * Plain, object-per-key reference models of each algorithm, written from the definitions rather
 * than from the optimized kernel. Tests replay the same random traffic through both.
 */
export type ReferenceAlgorithm = 'sliding-window' | 'token-bucket' | 'fixed-window';

export interface ReferenceWindow {
  algorithm: ReferenceAlgorithm;
  windowMs: number;
  capacity: number;
  refill: number;
}

interface WindowState {
  start: number;
  current: number;
  previous: number;
  tokens: number;
  last: number;
}

/** A multi-window limiter over one key: all windows must have room; then all consume. */
export class ReferenceLimiter {
  private readonly states: WindowState[];

  constructor(private readonly windows: readonly ReferenceWindow[]) {
    this.states = windows.map((window) => ({ start: -Infinity, current: 0, previous: 0, tokens: window.capacity, last: -Infinity }));
  }

  /** Units in use of window `index` at `now`, after rolling. */
  private used(index: number, now: number): number {
    const window = this.windows[index]!;
    const state = this.states[index]!;
    if (window.algorithm === 'token-bucket') {
      if (state.last !== -Infinity && now > state.last) state.tokens = Math.min(window.capacity, state.tokens + ((now - state.last) * window.refill) / window.windowMs);
      state.last = Math.max(state.last, now);
      return window.capacity - state.tokens;
    }
    const start = Math.floor(now / window.windowMs) * window.windowMs;
    if (start > state.start) {
      state.previous = window.algorithm === 'sliding-window' && start - window.windowMs === state.start ? state.current : 0;
      state.current = 0;
      state.start = start;
    }
    if (window.algorithm === 'fixed-window') return state.current;
    const fraction = (now - state.start) / window.windowMs;
    return state.previous * (1 - fraction) + state.current;
  }

  /** Consumes `amounts[i]` from window i when every window has room. */
  consume(now: number, amounts: readonly number[]): boolean {
    const before = this.states.map((state) => ({ ...state }));
    const used = this.windows.map((_, index) => this.used(index, now));
    const fits = this.windows.every((window, index) => amounts[index]! <= 0 || used[index]! + amounts[index]! <= window.capacity);
    if (!fits) {
      // A denial keeps no token-bucket refill (like both stores): the next decision refills from the same point.
      this.windows.forEach((window, index) => {
        if (window.algorithm === 'token-bucket') this.states[index] = before[index]!;
      });
      return false;
    }
    this.windows.forEach((window, index) => {
      const state = this.states[index]!;
      if (window.algorithm === 'token-bucket') state.tokens -= amounts[index]!;
      else state.current += amounts[index]!;
    });
    return true;
  }
}

/** Exact sliding log over one window: the ground truth the two-counter approximation estimates. */
export class SlidingLog {
  private readonly log: number[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly limit: number,
  ) {}

  consume(now: number): boolean {
    while (this.log.length > 0 && this.log[0]! <= now - this.windowMs) this.log.shift();
    if (this.log.length >= this.limit) return false;
    this.log.push(now);
    return true;
  }
}
