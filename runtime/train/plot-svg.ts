import type { EpochRecord } from './history.js';

/**
 * A hand-written SVG chart of the training history: loss (left panel) and accuracy or MAE (right
 * panel) per epoch, train solid and validation dashed, with axes, ticks and a legend. No library:
 * the output is small, deterministic and opens in any browser. Ticks are round (1, 2 or 5 × 10ⁿ);
 * `logLoss` draws the loss on a logarithmic axis, where a loss falling by orders of magnitude
 * stays readable.
 */
const WIDTH = 880;
const HEIGHT = 360;
const PANEL = { width: 380, height: 260, top: 50, left: [60, 490] };
const COLORS = { train: '#1f77b4', val: '#ff7f0e' };

interface Series {
  label: string;
  color: string;
  dashed: boolean;
  points: Array<[number, number]>;
}

export interface PlotOptions {
  /** The loss panel on a log10 axis. */
  logLoss?: boolean;
}

export function plotHistory(history: readonly EpochRecord[], title: string, options: PlotOptions = {}): string {
  const second = history.some((r) => r.accuracy !== undefined) ? 'accuracy' : 'mae';
  const series = (key: 'loss' | 'accuracy' | 'mae', valKey: 'valLoss' | 'valAccuracy' | 'valMae'): Series[] => [
    { label: 'train', color: COLORS.train, dashed: false, points: pointsOf(history, key) },
    { label: 'validation', color: COLORS.val, dashed: true, points: pointsOf(history, valKey) },
  ];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    panel(PANEL.left[0]!, 'loss', series('loss', 'valLoss'), history.length, options.logLoss === true),
    panel(PANEL.left[1]!, second, second === 'accuracy' ? series('accuracy', 'valAccuracy') : series('mae', 'valMae'), history.length, false),
    legend(history.some((r) => r.valLoss !== undefined)),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

function pointsOf(history: readonly EpochRecord[], key: keyof EpochRecord): Array<[number, number]> {
  return history.flatMap((r) => {
    const v = r[key];
    return typeof v === 'number' && Number.isFinite(v) ? [[r.epoch, v] as [number, number]] : [];
  });
}

function panel(left: number, name: string, series: Series[], epochs: number, log: boolean): string {
  const { width, height, top } = PANEL;
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  const axis = log ? logAxis(values) : linearAxis(name, values);
  const ticks = axis.ticks;
  const maxEpoch = Math.max(2, epochs);
  const x = (e: number): number => left + ((e - 1) / (maxEpoch - 1)) * width;
  const y = (v: number): number => top + height - axis.fraction(v) * height;
  const out: string[] = [`<g class="panel-${name}">`];
  out.push(`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#888"/>`);
  for (const v of ticks) {
    out.push(`<line x1="${left - 4}" y1="${fmt(y(v))}" x2="${left + width}" y2="${fmt(y(v))}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${tickLabel(v)}</text>`);
  }
  for (const e of epochTicks(maxEpoch)) {
    out.push(`<line x1="${fmt(x(e))}" y1="${top + height}" x2="${fmt(x(e))}" y2="${top + height + 4}" stroke="#888"/>`);
    out.push(`<text x="${fmt(x(e))}" y="${top + height + 17}" text-anchor="middle">${e}</text>`);
  }
  out.push(`<text x="${left + width / 2}" y="${top + height + 34}" text-anchor="middle">epoch</text>`);
  out.push(`<text x="${left + width / 2}" y="${top - 8}" text-anchor="middle" font-weight="bold">${name}${log ? ' (log scale)' : ''}</text>`);
  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points.map(([e, v], i) => `${i === 0 ? 'M' : 'L'}${fmt(x(e))},${fmt(y(v))}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    // Markers help read a short run; on a long one they only blur the line.
    if (s.points.length <= 40) {
      for (const [e, v] of s.points) out.push(`<circle cx="${fmt(x(e))}" cy="${fmt(y(v))}" r="2.5" fill="${s.color}"/>`);
    }
  }
  out.push('</g>');
  return out.join('\n');
}

function legend(withValidation: boolean): string {
  const y = HEIGHT - 12;
  const entries = [
    `<line x1="330" y1="${y - 4}" x2="360" y2="${y - 4}" stroke="${COLORS.train}" stroke-width="2"/>`,
    `<text x="366" y="${y}">train</text>`,
  ];
  if (withValidation) {
    entries.push(
      `<line x1="430" y1="${y - 4}" x2="460" y2="${y - 4}" stroke="${COLORS.val}" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text x="466" y="${y}">validation</text>`,
    );
  }
  return [`<g class="legend">`, ...entries, `</g>`].join('\n');
}

interface Axis {
  ticks: number[];
  /** Where a value lies between the axis ends, 0 at the bottom and 1 at the top. */
  fraction(value: number): number;
}

/**
 * Losses and MAE are never negative and accuracy lives in [0, 1]: every linear axis starts at 0
 * and ends on a round tick, so panels of different runs compare at a glance.
 */
function linearAxis(name: string, values: readonly number[]): Axis {
  const dataMax = values.length > 0 ? Math.max(...values) : 1;
  const ticks = name === 'accuracy' ? roundTicks(1) : roundTicks(dataMax > 0 ? dataMax : 1);
  const hi = ticks[ticks.length - 1]!;
  return { ticks, fraction: (v) => v / hi };
}

/** Ticks 0, step, 2·step, ... up to the first one at or above `max`, with step 1, 2 or 5 × 10ⁿ. */
export function roundTicks(max: number): number[] {
  const step = niceStep(max / 5);
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1]! < max - 1e-12; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** The smallest of 1, 2, 5 × 10ⁿ at or above `raw`. */
function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-12))!;
}

/**
 * A log10 axis from the round value (1, 2 or 5 × 10ⁿ) at or below the smallest positive value to
 * the one at or above the largest. Ticks at 1, 2 and 5 × 10ⁿ; over more than three decades the ends
 * widen to powers of ten and only those are ticked. Values at or below zero are drawn at the bottom.
 */
export function logAxis(values: readonly number[]): Axis {
  const positive = values.filter((v) => v > 0);
  const min = positive.length > 0 ? Math.min(...positive) : 1;
  const max = positive.length > 0 ? Math.max(...positive) : 1;
  const candidates = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let n = Math.floor(Math.log10(from)) - 1; n <= Math.ceil(Math.log10(to)) + 1; n++) {
      for (const m of [1, 2, 5]) out.push(Number((m * 10 ** n).toPrecision(12)));
    }
    return out;
  };
  const all = candidates(min, max);
  let lo = [...all].reverse().find((t) => t <= min * (1 + 1e-12))!;
  let hi = all.find((t) => t >= max * (1 - 1e-12))!;
  if (hi === lo) hi = all[all.indexOf(lo) + 1]!;
  const wide = Math.log10(hi / lo) > 3;
  if (wide) [lo, hi] = [10 ** Math.floor(Math.log10(lo) + 1e-9), 10 ** Math.ceil(Math.log10(hi) - 1e-9)].map((t) => Number(t.toPrecision(12))) as [number, number];
  const ticks = all.filter((t) => t >= lo && t <= hi && (!wide || Number.isInteger(Math.log10(t))));
  const [a, b] = [Math.log10(lo), Math.log10(hi)];
  return { ticks, fraction: (v) => (v > 0 ? Math.max(0, (Math.log10(v) - a) / (b - a)) : 0) };
}

/** Epoch ticks: 1, then every multiple of a round step (1, 2 or 5 × 10ⁿ), about ten in all. */
export function epochTicks(maxEpoch: number): number[] {
  const step = Math.max(1, niceStep(maxEpoch / 10));
  const ticks = [1];
  for (let e = step; e <= maxEpoch; e += step) if (e > 1) ticks.push(e);
  return ticks;
}

function fmt(v: number): string {
  return v.toFixed(1);
}

function tickLabel(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
