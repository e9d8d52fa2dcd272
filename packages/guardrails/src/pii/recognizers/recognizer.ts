import type { RawPiiMatch } from '../pii-entity';

/**
 * A linear-time scanner that appends the candidates it finds in `text` to `out`. Every recognizer
 * does bounded work per input position (hand-written scanning, no backtracking regexes).
 */
export type PiiRecognizer = (text: string, out: RawPiiMatch[]) => void;
