import { z } from 'zod';
import { CascadeError, abortErrorFrom, parseConfig } from '@cascade/core';
import { HOLD_RETRY_MS, type CounterLayout, type EvaluateRequest, type EvaluateResult, type KeyOperation, type LimitStore } from '../counter/counter';
import { STATE_STRIDE, applyCounter, counterResetAt, counterRetryAfter, rollCounter } from '../counter/counter-kernel';

/** Options of {@link createMemoryStore}. */
export const memoryStoreConfigSchema = z.strictObject({
  /**
   * Most keys kept per limiter layout; the least recently used key is forgotten beyond it.
   * Size it above your active keys: a forgotten key starts again with a full allowance.
   * @default 100000
   */
  maxKeys: z.number().int().min(16).max(50_000_000).default(100_000),
  /** Most distinct layouts (limiter shapes) one store holds. @default 256 */
  maxLayouts: z.number().int().positive().max(65_536).default(256),
});

/** What callers write to configure a memory store. */
export type MemoryStoreConfig = z.input<typeof memoryStoreConfigSchema>;

/** Counts a memory store exposes for monitoring. */
export interface MemoryStoreStats {
  /** Keys currently held, over every layout. */
  keys: number;
  layouts: number;
  /** Keys forgotten because a layout reached `maxKeys`. */
  evictions: number;
  /** Reservations held (not yet settled, released or swept after their lease), over every key. */
  holds: number;
}

/** The in-process store: synchronous, atomic by construction, bounded, with no timers. */
export interface MemoryStore extends LimitStore {
  readonly kind: 'memory';
  /** Decides synchronously; an already aborted signal decides nothing and throws `ABORTED`. */
  evaluate(request: EvaluateRequest, options?: { abortSignal?: AbortSignal }): EvaluateResult;
  /** Forgets one key of one namespace (every layout). */
  delete(namespace: string, key: string): void;
  /** Forgets everything. */
  clear(): void;
  stats(): MemoryStoreStats;
}

/** A store result the memory store fills in place. */
export interface MutableResult {
  allowed: boolean;
  failedOperation: number;
  failedCounter: number;
  retryAfterMs: number;
  remaining: ArrayLike<number>;
  resetAt: ArrayLike<number>;
  lapsedHolds?: number | undefined;
  heldByReservations?: boolean | undefined;
}

/** A reservation held on one key: what to give back when its lease lapses. */
interface Hold {
  readonly expiresAt: number;
  readonly reservedAt: number;
  /** Held amount per counter. */
  readonly held: Float64Array;
  /** Calendar counters: start of the period the amount was taken in (NaN otherwise). */
  readonly periodStarts: Float64Array;
}

/** The holds of one key; `next` is at most the earliest expiry (a lower bound: sweeps recompute it). */
interface SlotHolds {
  next: number;
  readonly byId: Map<string, Hold>;
}

/** The allocation-free evaluation of a memory store, for the limiters in this package (not public). */
export type EvaluateInto = (request: EvaluateRequest, remaining: Float64Array | number[], resetAt: Float64Array | number[], out: MutableResult) => void;

const fastPaths = new WeakMap<LimitStore, EvaluateInto>();

/** The allocation-free evaluation of `store` when it is a memory store of this package, else `undefined`. */
export function evaluateIntoOf(store: LimitStore): EvaluateInto | undefined {
  return fastPaths.get(store);
}

const EMPTY: readonly number[] = [];

/** What {@link usedWithoutHolds} found. */
interface HeldRoom {
  /** Units in use once the holds are given back. */
  used: number;
  /** Earliest lease expiry of the holds on the counter (`Infinity` when none holds it). */
  earliest: number;
}

/**
 * Units in use of the rolled counter at `offset` if every hold in `holds` were given back now —
 * computed on a copy (`scratch`, three numbers), the state is not touched.
 */
function usedWithoutHolds(
  state: Float64Array,
  offset: number,
  scratch: Float64Array,
  room: HeldRoom,
  holds: Map<string, Hold>,
  counter: number,
  algorithm: number,
  windowMs: number,
  capacity: number,
  refill: number,
  nowMs: number,
  periodStart: number,
): void {
  scratch[0] = state[offset]!;
  scratch[1] = state[offset + 1]!;
  scratch[2] = state[offset + 2]!;
  let earliest = Infinity;
  for (const hold of holds.values()) {
    const held = hold.held[counter]!;
    if (held <= 0) continue;
    applyCounter(scratch, 0, algorithm, windowMs, capacity, -held, hold.reservedAt, hold.periodStarts[counter]!);
    if (hold.expiresAt < earliest) earliest = hold.expiresAt;
  }
  room.earliest = earliest;
  room.used = rollCounter(scratch, 0, algorithm, windowMs, capacity, refill, nowMs, periodStart);
}
const INITIAL_SLOTS = 256;
const NO_SLOT = -1;

/**
 * One layout's keys in a flat `Float64Array` slab (three numbers per counter) with an intrusive
 * LRU list in two `Int32Array`s: no object per key, so a key costs its state, its map entry and its
 * key string.
 */
class LayoutTable {
  readonly stride: number;
  readonly slots = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  state: Float64Array;
  private previous: Int32Array;
  private next: Int32Array;
  private head = NO_SLOT;
  private tail = NO_SLOT;
  private allocated = 0;
  evictions = 0;
  /** Holds per slot (sparse: only keys with open reservations). */
  readonly holds: (SlotHolds | undefined)[] = [];
  /** Slots with holds: 0 keeps the usual decision free of any hold lookup. */
  holdSlots = 0;

  /** Holds of the slot at `offset`, or `undefined`. */
  holdsAt(offset: number): SlotHolds | undefined {
    return this.holdSlots === 0 ? undefined : this.holds[offset / this.stride];
  }

  /** Holds of the slot at `offset`, created when missing. */
  openHolds(offset: number, next: number): SlotHolds {
    const slot = offset / this.stride;
    let slotHolds = this.holds[slot];
    if (slotHolds === undefined) {
      slotHolds = { next, byId: new Map() };
      this.holds[slot] = slotHolds;
      this.holdSlots += 1;
    }
    return slotHolds;
  }

  /** Forgets the holds of `slot`. */
  dropHolds(slot: number): void {
    if (this.holds[slot] === undefined) return;
    this.holds[slot] = undefined;
    this.holdSlots -= 1;
  }

  constructor(
    counters: number,
    private readonly maxKeys: number,
  ) {
    this.stride = counters * STATE_STRIDE;
    const initial = Math.min(INITIAL_SLOTS, maxKeys);
    this.state = new Float64Array(initial * this.stride).fill(Number.NaN);
    this.previous = new Int32Array(initial);
    this.next = new Int32Array(initial);
  }

  /** Offset of `key`'s state, creating (or recycling the least recent) slot; marks it most recent. */
  offsetOf(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) slot = this.allocate(key);
    else if (slot !== this.head) {
      this.unlink(slot);
      this.pushFront(slot);
    }
    return slot * this.stride;
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.keys[slot] = undefined;
    this.dropHolds(slot);
    this.state.fill(Number.NaN, slot * this.stride, (slot + 1) * this.stride);
    // Move it to the tail so it is recycled first.
    this.unlink(slot);
    this.pushBack(slot);
  }

  private allocate(key: string): number {
    let slot: number;
    const capacity = this.previous.length;
    if (this.allocated < capacity) {
      slot = this.allocated++;
    } else if (capacity < this.maxKeys) {
      this.grow(Math.min(this.maxKeys, capacity * 2));
      slot = this.allocated++;
    } else {
      slot = this.tail;
      const old = this.keys[slot];
      if (old !== undefined) {
        this.slots.delete(old);
        this.evictions += 1;
      }
      this.unlink(slot);
      this.state.fill(Number.NaN, slot * this.stride, (slot + 1) * this.stride);
      this.dropHolds(slot);
    }
    this.keys[slot] = key;
    this.slots.set(key, slot);
    this.pushFront(slot);
    return slot;
  }

  private grow(slots: number): void {
    const state = new Float64Array(slots * this.stride).fill(Number.NaN);
    state.set(this.state);
    this.state = state;
    const previous = new Int32Array(slots);
    previous.set(this.previous);
    this.previous = previous;
    const next = new Int32Array(slots);
    next.set(this.next);
    this.next = next;
  }

  private unlink(slot: number): void {
    const before = this.previous[slot]!;
    const after = this.next[slot]!;
    if (before === NO_SLOT) this.head = after;
    else this.next[before] = after;
    if (after === NO_SLOT) this.tail = before;
    else this.previous[after] = before;
  }

  private pushFront(slot: number): void {
    this.previous[slot] = NO_SLOT;
    this.next[slot] = this.head;
    if (this.head !== NO_SLOT) this.previous[this.head] = slot;
    this.head = slot;
    if (this.tail === NO_SLOT) this.tail = slot;
  }

  private pushBack(slot: number): void {
    this.next[slot] = NO_SLOT;
    this.previous[slot] = this.tail;
    if (this.tail !== NO_SLOT) this.next[this.tail] = slot;
    this.tail = slot;
    if (this.head === NO_SLOT) this.head = slot;
  }
}

/**
 * Creates the in-memory store: one process, zero setup. Every `evaluate` is synchronous, so all
 * counters of all keys in a request are checked and consumed atomically. Memory is bounded by
 * `maxKeys` per layout (LRU); expiry is lazy (windows roll when a key is next seen); no timers.
 *
 * @param config - see {@link memoryStoreConfigSchema}.
 * @example
 * const store = createMemoryStore({ maxKeys: 50_000 });
 * const limiter = createRateLimiter({ limits: [slidingWindow(10, '1 s')] }, { store });
 */
export function createMemoryStore(config: MemoryStoreConfig = {}): MemoryStore {
  const options = parseConfig(memoryStoreConfigSchema, config, 'createMemoryStore config');
  const namespaces = new Map<string, Map<string, LayoutTable>>();
  let tableCount = 0;
  let lastNamespace = '';
  let lastLayout: CounterLayout | undefined;
  let lastTable: LayoutTable | undefined;
  let scratchUsed = new Float64Array(16);
  // Token-bucket `[a, b]` before this decision rolled them, per counter (restored on a denial).
  let scratchBuckets = new Float64Array(32);
  let scratchOffsets = new Int32Array(4);
  let scratchTables: (LayoutTable | undefined)[] = [];
  // Per operation of a request touching holds: the lapsed holds to give back, and the amounts to apply.
  let scratchLapsed: (Hold[] | undefined)[] = [];
  let scratchAmounts: (readonly number[] | undefined)[] = [];
  let scratchLive: boolean[] = [];
  const scratchState = new Float64Array(STATE_STRIDE);
  const scratchRoom: HeldRoom = { used: 0, earliest: Infinity };

  function tableFor(operation: KeyOperation): LayoutTable {
    if (operation.layout === lastLayout && operation.namespace === lastNamespace) return lastTable!;
    let layouts = namespaces.get(operation.namespace);
    if (!layouts) {
      layouts = new Map();
      namespaces.set(operation.namespace, layouts);
    }
    let table = layouts.get(operation.layout.signature);
    if (!table) {
      if (tableCount >= options.maxLayouts) {
        throw new CascadeError(
          'INVALID_CONFIG',
          `The memory store holds ${options.maxLayouts} limiter layouts already; raise maxLayouts or reuse limiters instead of creating one per request.`,
        );
      }
      table = new LayoutTable(operation.layout.counters.length, options.maxKeys);
      layouts.set(operation.layout.signature, table);
      tableCount += 1;
    }
    lastNamespace = operation.namespace;
    lastLayout = operation.layout;
    lastTable = table;
    return table;
  }

  /**
   * Evaluates `request` writing `remaining`/`resetAt` into the given arrays and the rest into `out`
   * (nothing is allocated in the usual case). Nothing of the request or the outputs is kept.
   */
  function evaluateInto(request: EvaluateRequest, remaining: Float64Array | number[], resetAt: Float64Array | number[], out: MutableResult): void {
    const nowMs = request.nowMs;
    const force = request.force;
    const operations = request.operations;
    const refundAtMs = request.refundAtMs ?? nowMs;
    const operationCount = operations.length;
    let total = 0;
    for (let index = 0; index < operationCount; index++) total += operations[index]!.layout.codes.length;
    if (scratchUsed.length < total) scratchUsed = new Float64Array(total * 2);
    if (scratchBuckets.length < 2 * total) scratchBuckets = new Float64Array(total * 4);
    if (scratchOffsets.length < operationCount) scratchOffsets = new Int32Array(operationCount * 2);
    for (let index = 0; index < operationCount; index++) {
      const operation = operations[index]!;
      const table = tableFor(operation);
      scratchTables[index] = table;
      scratchOffsets[index] = table.offsetOf(operation.key);
    }
    const used = scratchUsed;

    // Reservations: sweep lapsed holds of the keys involved, and find the hold being settled.
    const settleId = request.settle;
    let holdsTouched = false;
    let lapsedHolds = 0;
    for (let index = 0; index < operationCount; index++) {
      const table = scratchTables[index]!;
      const slotHolds = table.holdsAt(scratchOffsets[index]!);
      if (slotHolds === undefined && settleId === undefined) continue;
      holdsTouched = true;
      let lapsed: Hold[] | undefined;
      if (slotHolds !== undefined && slotHolds.next <= nowMs) {
        let next = Infinity;
        for (const [id, hold] of slotHolds.byId) {
          if (hold.expiresAt <= nowMs) {
            (lapsed ??= []).push(hold);
            slotHolds.byId.delete(id);
          } else if (hold.expiresAt < next) next = hold.expiresAt;
        }
        slotHolds.next = next;
        if (slotHolds.byId.size === 0) table.dropHolds(scratchOffsets[index]! / table.stride);
      }
      scratchLapsed[index] = lapsed;
      const operation = operations[index]!;
      let amounts = operation.amounts;
      let live = false;
      if (settleId !== undefined) {
        live = slotHolds !== undefined && slotHolds.byId.has(settleId);
        if (!live) {
          lapsedHolds += 1;
          amounts = operation.lateAmounts ?? amounts;
        }
      }
      scratchLive[index] = live;
      scratchAmounts[index] = amounts;
    }

    let allowed = true;
    let retryAfterMs = 0;
    let failedOperation = -1;
    let failedCounter = -1;
    let heldByReservations = false;
    let flat = 0;
    for (let index = 0; index < operationCount; index++) {
      const operation = operations[index]!;
      const state = scratchTables[index]!.state;
      const base = scratchOffsets[index]!;
      const layout = operation.layout;
      const codes = layout.codes;
      const windows = layout.windows;
      const capacities = operation.capacity;
      const refills = operation.refill;
      const amounts = holdsTouched ? (scratchAmounts[index] ?? operation.amounts) : operation.amounts;
      const lapsed = holdsTouched ? scratchLapsed[index] : undefined;
      const count = codes.length;
      for (let counter = 0; counter < count; counter++, flat++) {
        const algorithm = codes[counter]!;
        const windowMs = windows[counter]!;
        const capacity = capacities[counter]!;
        const amount = amounts[counter]!;
        const offset = base + counter * STATE_STRIDE;
        let periodStart = 0;
        if (algorithm === 4) {
          const period = operation.periods?.[counter];
          if (period) periodStart = period.start;
        }
        if (algorithm === 2) {
          scratchBuckets[2 * flat] = state[offset]!;
          scratchBuckets[2 * flat + 1] = state[offset + 1]!;
        }
        let inUse = rollCounter(state, offset, algorithm, windowMs, capacity, refills[counter]!, nowMs, periodStart);
        if (lapsed !== undefined) {
          // A lapsed reservation gives back what it held, like a release (before this decision).
          for (const hold of lapsed) {
            const held = hold.held[counter]!;
            if (held > 0) applyCounter(state, offset, algorithm, windowMs, capacity, -held, hold.reservedAt, hold.periodStarts[counter]!);
          }
          inUse = rollCounter(state, offset, algorithm, windowMs, capacity, refills[counter]!, nowMs, periodStart);
        }
        used[flat] = inUse;
        if (amount > 0 && inUse + amount > capacity) {
          let periodEnd = Infinity;
          if (algorithm === 4) {
            const period = operation.periods?.[counter];
            if (period) periodEnd = period.end;
          }
          let wait = counterRetryAfter(state, offset, algorithm, windowMs, capacity, refills[counter]!, amount, nowMs, periodEnd);
          let onHolds = false;
          // Denied while reservations are held on this key: if they alone take the room, retry soon
          // (they clear when their requests settle), not at the end of the window or period.
          const slotHolds = holdsTouched ? scratchTables[index]!.holdsAt(base) : undefined;
          if (slotHolds !== undefined && amount <= capacity) {
            usedWithoutHolds(state, offset, scratchState, scratchRoom, slotHolds.byId, counter, algorithm, windowMs, capacity, refills[counter]!, nowMs, periodStart);
            if (scratchRoom.earliest !== Infinity && scratchRoom.used + amount <= capacity) {
              onHolds = true;
              wait = Math.max(1, Math.min(wait, HOLD_RETRY_MS, scratchRoom.earliest - nowMs));
            }
          }
          if (allowed || wait > retryAfterMs) {
            retryAfterMs = wait;
            failedOperation = index;
            failedCounter = counter;
            heldByReservations = onHolds;
          }
          allowed = false;
        }
      }
    }

    const apply = allowed || force;
    flat = 0;
    for (let index = 0; index < operationCount; index++) {
      const operation = operations[index]!;
      const state = scratchTables[index]!.state;
      const base = scratchOffsets[index]!;
      const layout = operation.layout;
      const codes = layout.codes;
      const windows = layout.windows;
      const capacities = operation.capacity;
      const refills = operation.refill;
      const amounts = holdsTouched ? (scratchAmounts[index] ?? operation.amounts) : operation.amounts;
      const count = codes.length;
      for (let counter = 0; counter < count; counter++, flat++) {
        const algorithm = codes[counter]!;
        const windowMs = windows[counter]!;
        const capacity = capacities[counter]!;
        const amount = amounts[counter]!;
        const offset = base + counter * STATE_STRIDE;
        let left = capacity - used[flat]!;
        if (apply && amount !== 0) {
          const refundPeriodStart = algorithm === 4 ? (operation.refundPeriodStarts?.[counter] ?? Number.NaN) : Number.NaN;
          applyCounter(state, offset, algorithm, windowMs, capacity, amount, refundAtMs, refundPeriodStart);
          left -= amount;
        }
        remaining[flat] = left > 0 ? Math.floor(left) : 0;
        let periodEnd = Infinity;
        if (algorithm === 4) {
          const period = operation.periods?.[counter];
          if (period) periodEnd = period.end;
        }
        resetAt[flat] = counterResetAt(state, offset, algorithm, windowMs, capacity, refills[counter]!, nowMs, periodEnd);
      }
    }
    if (!apply) {
      // Like the Redis script (which writes a key only when applied or when lapsed holds came back),
      // a denial keeps no token-bucket refill: both stores then refill along the same path, and
      // float rounding (retry and reset times) agrees to the millisecond.
      flat = 0;
      for (let index = 0; index < operationCount; index++) {
        const codes = operations[index]!.layout.codes;
        if (holdsTouched && scratchLapsed[index] !== undefined) {
          flat += codes.length;
          continue;
        }
        const state = scratchTables[index]!.state;
        const base = scratchOffsets[index]!;
        for (let counter = 0; counter < codes.length; counter++, flat++) {
          if (codes[counter] !== 2) continue;
          state[base + counter * STATE_STRIDE] = scratchBuckets[2 * flat]!;
          state[base + counter * STATE_STRIDE + 1] = scratchBuckets[2 * flat + 1]!;
        }
      }
    }
    const hold = request.hold;
    if (apply && (hold !== undefined || settleId !== undefined)) {
      for (let index = 0; index < operationCount; index++) {
        const table = scratchTables[index]!;
        const offset = scratchOffsets[index]!;
        if (settleId !== undefined && scratchLive[index]) {
          const slotHolds = table.holdsAt(offset)!;
          slotHolds.byId.delete(settleId);
          if (slotHolds.byId.size === 0) table.dropHolds(offset / table.stride);
        }
        if (hold !== undefined) openHold(table, offset, operations[index]!, hold.id, hold.expiresAt, nowMs);
      }
    }
    for (let index = 0; index < operationCount; index++) {
      scratchTables[index] = undefined;
      if (holdsTouched) {
        scratchLapsed[index] = undefined;
        scratchAmounts[index] = undefined;
      }
    }
    out.lapsedHolds = settleId === undefined ? undefined : lapsedHolds;
    out.heldByReservations = heldByReservations;
    out.allowed = allowed;
    out.failedOperation = failedOperation;
    out.failedCounter = failedCounter;
    out.retryAfterMs = retryAfterMs;
    out.remaining = remaining;
    out.resetAt = resetAt;
  }

  function openHold(table: LayoutTable, offset: number, operation: KeyOperation, id: string, expiresAt: number, nowMs: number): void {
    const held = operation.held;
    if (held === undefined || !held.some((amount) => amount > 0)) return;
    const count = held.length;
    const periodStarts = new Float64Array(count).fill(Number.NaN);
    for (let counter = 0; counter < count; counter++) {
      const period = operation.periods?.[counter];
      if (period) periodStarts[counter] = period.start;
    }
    const slotHolds = table.openHolds(offset, expiresAt);
    if (expiresAt < slotHolds.next) slotHolds.next = expiresAt;
    slotHolds.byId.set(id, { expiresAt, reservedAt: nowMs, held: Float64Array.from(held), periodStarts });
  }

  function evaluate(request: EvaluateRequest, evaluateOptions?: { abortSignal?: AbortSignal }): EvaluateResult {
    const abortSignal = evaluateOptions?.abortSignal;
    if (abortSignal?.aborted) throw abortErrorFrom(abortSignal, 'The limit check');
    let total = 0;
    for (let index = 0; index < request.operations.length; index++) total += request.operations[index]!.layout.codes.length;
    const out: MutableResult = { allowed: true, failedOperation: -1, failedCounter: -1, retryAfterMs: 0, remaining: EMPTY, resetAt: EMPTY };
    evaluateInto(request, new Array<number>(total), new Array<number>(total), out);
    if (out.lapsedHolds === undefined) delete out.lapsedHolds;
    if (!out.heldByReservations) delete out.heldByReservations;
    return out;
  }

  const store: MemoryStore = {
    kind: 'memory',
    evaluate,
    delete(namespace, key) {
      const layouts = namespaces.get(namespace);
      if (!layouts) return;
      for (const table of layouts.values()) table.delete(key);
    },
    clear() {
      namespaces.clear();
      tableCount = 0;
      lastLayout = undefined;
      lastTable = undefined;
      scratchTables = [];
      scratchLapsed = [];
      scratchAmounts = [];
      scratchLive = [];
    },
    stats() {
      let keys = 0;
      let evictions = 0;
      let holds = 0;
      for (const layouts of namespaces.values()) {
        for (const table of layouts.values()) {
          keys += table.slots.size;
          evictions += table.evictions;
          for (const slotHolds of table.holds) if (slotHolds) holds += slotHolds.byId.size;
        }
      }
      return { keys, layouts: tableCount, evictions, holds };
    },
  };
  fastPaths.set(store, evaluateInto);
  return store;
}
