import type { PolicyFigures } from './metrics';

/** What the plot needs from a `bench:quality` report. */
export interface QualityPlotInput {
  title: string;
  /** Footnote: the data and whether it was used for training or tuning. */
  note: string;
  target: number;
  cheap: PolicyFigures;
  strong: PolicyFigures;
  oracle: PolicyFigures;
  cascade: { qualityShare: number; savings: number; secondHalf: { qualityShare: number; savings: number } };
  /** The fixed validator-score threshold sweep (learning off), when it ran. */
  curve: readonly { threshold: number; qualityShare: number; savings: number }[];
}

/** A point: savings against the strongest tier alone (x), share of its quality kept (y). */
export interface PlotPoint {
  savings: number;
  share: number;
}

/** The baselines as points on the quality-share/savings plane. */
export function baselinePoints(input: QualityPlotInput): { strong: PlotPoint; cheap: PlotPoint; oracle: PlotPoint; randomRouter: PlotPoint[]; randomEscalation: PlotPoint[] } {
  const share = (quality: number): number => (input.strong.quality > 0 ? quality / input.strong.quality : 0);
  const savings = (costUsd: number): number => (input.strong.costUsd > 0 ? 1 - costUsd / input.strong.costUsd : 0);
  const steps = Array.from({ length: 11 }, (_, index) => index / 10);
  return {
    strong: { savings: 0, share: 1 },
    cheap: { savings: savings(input.cheap.costUsd), share: share(input.cheap.quality) },
    oracle: { savings: savings(input.oracle.costUsd), share: share(input.oracle.quality) },
    // Route a random share p of requests to the cheap tier without drafting.
    randomRouter: steps.map((p) => ({ savings: savings(p * input.cheap.costUsd + (1 - p) * input.strong.costUsd), share: share(p * input.cheap.quality + (1 - p) * input.strong.quality) })),
    // Draft every request on the cheap tier and accept a random share a (escalate the rest).
    randomEscalation: steps.map((a) => ({ savings: savings(input.cheap.costUsd + (1 - a) * input.strong.costUsd), share: share(a * input.cheap.quality + (1 - a) * input.strong.quality) })),
  };
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The quality share kept (y) against savings (x) of the learning cascade, with the random baselines
 * (random router; random escalation after a cheap draft), the oracle, both single tiers, the fixed
 * threshold sweep and the target share, as a standalone SVG (no dependency, no script).
 */
export function renderQualityPlot(input: QualityPlotInput): string {
  const width = 980;
  const height = 520;
  const margin = { left: 70, right: 300, top: 50, bottom: 100 };
  const points = baselinePoints(input);
  const all: PlotPoint[] = [points.strong, points.cheap, points.oracle, ...points.randomRouter, ...points.randomEscalation, { savings: input.cascade.savings, share: input.cascade.qualityShare }, { savings: input.cascade.secondHalf.savings, share: input.cascade.secondHalf.qualityShare }, ...input.curve.map((point) => ({ savings: point.savings, share: point.qualityShare }))];
  const xMin = Math.min(0, ...all.map((point) => point.savings));
  const xMax = Math.max(1, ...all.map((point) => point.savings));
  const yMin = Math.max(0, Math.floor(Math.min(input.target, ...all.map((point) => point.share)) * 10) / 10 - 0.05);
  const yMax = Math.max(1.02, ...all.map((point) => point.share)) + 0.02;
  const x = (savings: number): number => margin.left + ((savings - xMin) / (xMax - xMin)) * (width - margin.left - margin.right);
  const y = (share: number): number => height - margin.bottom - ((share - yMin) / (yMax - yMin)) * (height - margin.top - margin.bottom);
  const path = (series: readonly PlotPoint[]): string => series.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.savings).toFixed(1)},${y(point.share).toFixed(1)}`).join(' ');
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${margin.left}" y="28" font-size="15" font-weight="600">${escape(input.title)}</text>`);
  // Grid and axes.
  for (let tick = Math.ceil(xMin * 10); tick <= Math.floor(xMax * 10); tick++) {
    const value = tick / 10;
    parts.push(`<line x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${x(value).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${Math.round(value * 100)}%</text>`);
  }
  for (let tick = Math.ceil(yMin * 20); tick <= Math.floor(yMax * 20); tick++) {
    const value = tick / 20;
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${Math.round(value * 100)}%</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${width - margin.left - margin.right}" height="${height - margin.top - margin.bottom}" fill="none" stroke="#999999"/>`);
  parts.push(`<text x="${(margin.left + width - margin.right) / 2}" y="${height - margin.bottom + 36}" text-anchor="middle">savings against the strongest tier alone</text>`);
  parts.push(`<text transform="translate(18 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">share of the strongest tier's quality</text>`);
  // Target.
  parts.push(`<line data-series="target" x1="${margin.left}" x2="${width - margin.right}" y1="${y(input.target).toFixed(1)}" y2="${y(input.target).toFixed(1)}" stroke="#eb5757" stroke-dasharray="6 4"/>`);
  // Series.
  parts.push(`<path data-series="random-router" d="${path(points.randomRouter)}" fill="none" stroke="#828282" stroke-width="2"/>`);
  parts.push(`<path data-series="random-escalation" d="${path(points.randomEscalation)}" fill="none" stroke="#bdbdbd" stroke-width="2" stroke-dasharray="3 3"/>`);
  if (input.curve.length > 0) {
    const sweep = input.curve.map((point) => ({ savings: point.savings, share: point.qualityShare }));
    parts.push(`<path data-series="threshold-sweep" d="${path(sweep)}" fill="none" stroke="#f2994a" stroke-width="1.5"/>`);
    for (const point of sweep) parts.push(`<circle cx="${x(point.savings).toFixed(1)}" cy="${y(point.share).toFixed(1)}" r="2.5" fill="#f2994a"/>`);
  }
  const marker = (series: string, point: PlotPoint, color: string, label: string, radius = 6, below = false): void => {
    parts.push(`<circle data-series="${series}" data-savings="${point.savings.toFixed(4)}" data-share="${point.share.toFixed(4)}" cx="${x(point.savings).toFixed(1)}" cy="${y(point.share).toFixed(1)}" r="${radius}" fill="${color}"/>`);
    parts.push(`<text x="${(x(point.savings) + 9).toFixed(1)}" y="${(y(point.share) + (below ? 18 : -8)).toFixed(1)}" fill="${color}">${escape(label)}</text>`);
  };
  marker('strong', points.strong, '#333333', 'strong alone');
  marker('cheap', points.cheap, '#333333', 'cheap alone');
  marker('oracle', points.oracle, '#27ae60', 'oracle');
  marker('cascade', { savings: input.cascade.savings, share: input.cascade.qualityShare }, '#2f80ed', 'learning cascade', 7);
  marker('cascade-second-half', { savings: input.cascade.secondHalf.savings, share: input.cascade.secondHalf.qualityShare }, '#9b51e0', 'its second half', 5, true);
  // Legend.
  const legend: [string, string, string][] = [
    ['#2f80ed', 'solid', 'learning cascade (whole stream)'],
    ['#9b51e0', 'solid', 'learning cascade, second half'],
    ['#27ae60', 'solid', 'oracle (cheapest tier as good as strong)'],
    ['#828282', 'line', 'random router'],
    ['#bdbdbd', 'dash', 'random escalation after a draft'],
    ...(input.curve.length > 0 ? [['#f2994a', 'line', 'fixed threshold sweep (learning off)'] as [string, string, string]] : []),
    ['#eb5757', 'dash', `target share ${Math.round(input.target * 100)}%`],
  ];
  legend.forEach(([color, kind, label], index) => {
    const ly = margin.top + 10 + index * 22;
    const lx = width - margin.right + 16;
    if (kind === 'solid') parts.push(`<circle cx="${lx + 8}" cy="${ly}" r="5" fill="${color}"/>`);
    else parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${kind === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${lx + 22}" y="${ly + 4}">${escape(label)}</text>`);
  });
  // The note, one sentence per line.
  input.note.split(/(?<=[.;])\s+/).forEach((line, index) => parts.push(`<text x="${margin.left}" y="${height - 38 + index * 16}" fill="#555555">${escape(line)}</text>`));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
