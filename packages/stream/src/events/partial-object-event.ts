/** A value still arriving: every property (deeply) may be missing yet. */
export type PartialObject<T> = T extends readonly (infer Item)[] ? PartialObject<Item>[] : T extends object ? { [Key in keyof T]?: PartialObject<T[Key]> } : T;

/** The object parsed so far from the answer's text, each time it grew. A whole snapshot: it replaces the previous one. */
export interface PartialObjectEvent<T> {
  type: 'partial-object';
  object: PartialObject<T>;
  modelId: string;
  tier: number;
}
