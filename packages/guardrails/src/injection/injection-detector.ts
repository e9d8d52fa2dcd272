/** One reason a text looks like a prompt injection. */
export interface InjectionSignal {
  /** Signal name, e.g. `instruction-override`, `role-play`, `prompt-extraction`, `invisible-unicode`, `encoded-payload`. */
  name: string;
  /** Weight of this signal, 0..1. */
  weight: number;
  /** Offsets of the matched text in the scanned input (no raw text). */
  start?: number;
  end?: number;
}

/** A detector's verdict on one text. */
export interface InjectionVerdict {
  /** 0..1: how likely the text tries to override the application's instructions. */
  score: number;
  /** True when `score` reaches the detector's threshold. */
  detected: boolean;
  signals: InjectionSignal[];
  /** Which detector produced this verdict. */
  detector: string;
}

/** What a detector may look at besides the text. */
export interface InjectionInput {
  text: string;
  /** The application's system prompt, when known (lets a detector spot probing of protected data). */
  systemPrompt?: string;
  /** Where the text came from: the user, or a tool/document (indirect injection). */
  source?: 'user' | 'tool' | 'document';
}

/** Options of one detection. */
export interface DetectInjectionOptions {
  abortSignal?: AbortSignal;
}

/**
 * Pluggable prompt-injection detector: the local heuristics implement it, and so can a model-based
 * classifier (e.g. a small fine-tuned model behind an HTTP call).
 */
export interface InjectionDetector {
  readonly name: string;
  detect(input: InjectionInput, options?: DetectInjectionOptions): Promise<InjectionVerdict> | InjectionVerdict;
}
