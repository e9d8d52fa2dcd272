import { describe, expect, it } from 'vitest';
import { balanceByKind, type SourcedExample } from '../../scripts/train/training-data';

const rows = (source: string, kind: string, label: 0 | 1, count: number): SourcedExample[] =>
  Array.from({ length: count }, (_, index) => ({ text: `${source} ${index}`, labels: [label], source, dataset: source, kind }));

const total = (examples: SourcedExample[], keep: (example: SourcedExample) => boolean): number =>
  examples.filter(keep).reduce((sum, example) => sum + example.weights![0]!, 0);

describe('balanceByKind', () => {
  it('weighs every kind the same within its class and every source the same within its kind', () => {
    const examples = [
      ...rows('gandalf', 'direct', 1, 90),
      ...rows('hackaprompt', 'direct', 1, 10),
      ...rows('bipia', 'indirect', 1, 20),
      ...rows('ultrachat', 'benign', 0, 30),
      ...rows('harmful/harmbench', 'harmful', 0, 10),
    ];
    balanceByKind(examples);
    const positives = total(examples, (example) => example.labels[0] === 1);
    expect(positives).toBeCloseTo(examples.length / 2, 9);
    expect(total(examples, (example) => example.labels[0] === 0)).toBeCloseTo(examples.length / 2, 9);
    expect(total(examples, (example) => example.kind === 'indirect')).toBeCloseTo(positives / 2, 9);
    expect(total(examples, (example) => example.source === 'gandalf')).toBeCloseTo(total(examples, (example) => example.source === 'hackaprompt'), 9);
    expect(total(examples, (example) => example.kind === 'benign')).toBeCloseTo(total(examples, (example) => example.kind === 'harmful'), 9);
  });
});
