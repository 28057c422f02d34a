import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../../runtime/train/history.js';
import { epochTicks, logAxis, plotHistory, roundTicks } from '../../../runtime/train/plot-svg.js';

/** Well-formedness: every tag closes in order (the chart uses no CDATA, comments or entities but &amp; etc.). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

const history: EpochRecord[] = [1, 2, 3, 4].map((epoch) => ({
  epoch,
  lr: 0.01,
  loss: 1 / epoch,
  accuracy: 0.5 + epoch / 10,
  valLoss: 1.2 / epoch,
  valAccuracy: 0.45 + epoch / 10,
  seconds: 1,
}));

describe('SVG training curves', () => {
  it('draws loss and accuracy, train and validation, with axes and a legend', () => {
    const svg = plotHistory(history, 'Digits <test>');
    expect(balanced(svg)).toBe(true);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray/g)!.length).toBeGreaterThanOrEqual(2); // validation lines + legend
    expect(svg).toContain('>loss</text>');
    expect(svg).toContain('>accuracy</text>');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>validation</text>');
    expect(svg).toContain('Digits &lt;test&gt;');
  });

  it('the loss line falls from the top-left: higher values are drawn higher (smaller y)', () => {
    const svg = plotHistory(history, 't');
    const first = /<path d="M([\d.]+),([\d.]+) .*? L([\d.]+),([\d.]+)"/.exec(svg)!;
    expect(Number(first[2])).toBeLessThan(Number(first[4]));
    expect(Number(first[1])).toBeLessThan(Number(first[3]));
  });

  it('regression histories plot MAE; missing validation draws only the train line', () => {
    const svg = plotHistory([{ epoch: 1, lr: 1, loss: 2, mae: 1, seconds: 0 }, { epoch: 2, lr: 1, loss: 1, mae: 0.5, seconds: 0 }], 'r');
    expect(svg).toContain('>mae</text>');
    expect(svg.match(/<path /g)).toHaveLength(2);
  });

  it('puts axes on round ticks from 0 (accuracy 0 to 1) and lists validation only when there is some', () => {
    const trainOnly = history.map(({ valLoss: _l, valAccuracy: _a, ...rest }) => rest);
    const svg = plotHistory(trainOnly, 'xor');
    const accuracyTicks = [...svg.split('<g class="panel-accuracy">')[1]!.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(accuracyTicks).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    const lossTicks = [...svg.split('<g class="panel-loss">')[1]!.split('</g>')[0]!.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(lossTicks).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(svg).not.toContain('>validation<');
  });

  it('puts ticks on 1, 2, 5 × 10ⁿ: linear axes, epochs, and the log-scale loss', () => {
    expect(roundTicks(0.73)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(roundTicks(2.31)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(roundTicks(0.0042)).toEqual([0, 0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(epochTicks(8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(epochTicks(30)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(epochTicks(100)).toEqual([1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(logAxis([2.3, 0.031]).ticks).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]);
    expect(logAxis([3, 0.00012]).ticks).toEqual([0.0001, 0.001, 0.01, 0.1, 1, 10]);
    expect(logAxis([1]).ticks).toEqual([1, 2]);
    const axis = logAxis([0.1, 10]);
    expect(axis.fraction(0.1)).toBe(0);
    expect(axis.fraction(1)).toBeCloseTo(0.5);
    expect(axis.fraction(0)).toBe(0);
  });

  it('draws the loss on a log axis when asked, and the other panel as before', () => {
    const falling: EpochRecord[] = [1, 2, 3].map((epoch) => ({ epoch, lr: 0.01, loss: 10 ** -epoch, accuracy: 0.5, seconds: 1 }));
    const svg = plotHistory(falling, 'log', { logLoss: true });
    expect(balanced(svg)).toBe(true);
    const lossPanel = svg.split('<g class="panel-loss">')[1]!.split('</g>')[0]!;
    expect([...lossPanel.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1])).toEqual(['0.001', '0.002', '0.005', '0.01', '0.02', '0.05', '0.1']);
    expect(lossPanel).toContain('>loss (log scale)</text>');
    // Equal ratios are equal steps: 0.1 → 0.01 → 0.001 falls by the same height each epoch.
    const ys = [...lossPanel.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[1]! - ys[0]!).toBeCloseTo(ys[2]! - ys[1]!, 0);
    expect(svg.split('<g class="panel-accuracy">')[1]).toContain('>0.2</text>');
  });
});
