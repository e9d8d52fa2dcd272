/**
 * Freezes `value` and everything reachable from it, so no caller can mutate shared state
 * (tier presets, parsed profile dimensions, computed policies).
 *
 * @param value - a plain, acyclic value (parsed config or JSON).
 * @returns the same value, now deeply immutable.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return Object.freeze(value);
}
