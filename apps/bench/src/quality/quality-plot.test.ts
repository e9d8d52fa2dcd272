import { describe, expect, it } from 'vitest';
import { baselinePoints, renderQualityPlot, type QualityPlotInput } from './quality-plot';

const input: QualityPlotInput = {
  title: 'test', note: 'made-up figures', target: 0.95,
  cheap: { quality: 0.6, costUsd: 1 },
  strong: { quality: 0.9, costUsd: 10 },
  oracle: { quality: 0.92, costUsd: 3 },
  cascade: { qualityShare: 0.96, savings: 0.5, secondHalf: { qualityShare: 0.97, savings: 0.55 } },
  curve: [{ threshold: 0.5, qualityShare: 0.8, savings: 0.6 }, { threshold: 0.9, qualityShare: 0.99, savings: 0.1 }],
};

describe('renderQualityPlot', () => {
  it('puts the baselines where their definitions say', () => {
    const points = baselinePoints(input);
    expect(points.cheap).toEqual({ savings: 0.9, share: 0.6 / 0.9 });
    expect(points.oracle.savings).toBeCloseTo(0.7, 12);
    // Random router: from strong alone (0 savings, full share) to cheap alone, linearly.
    expect(points.randomRouter[0]).toEqual({ savings: 0, share: 1 });
    expect(points.randomRouter.at(-1)!.savings).toBeCloseTo(0.9, 12);
    expect(points.randomRouter[5]!.share).toBeCloseTo((0.5 * 0.6 + 0.5 * 0.9) / 0.9, 12);
    // Random escalation pays the cheap draft on every request: negative savings when nothing is accepted.
    expect(points.randomEscalation[0]!.savings).toBeCloseTo(-0.1, 12);
  });

  it('draws every series, the cascade at its figures, as a standalone SVG', () => {
    const svg = renderQualityPlot(input);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const series of ['target', 'random-router', 'random-escalation', 'threshold-sweep', 'strong', 'cheap', 'oracle', 'cascade', 'cascade-second-half']) expect(svg).toContain(`data-series="${series}"`);
    expect(svg).toContain('data-series="cascade" data-savings="0.5000" data-share="0.9600"');
    expect(svg).toContain('made-up figures');
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
