/** One point of the live curve: after a batch (running figures of the epoch so far). */
export interface CurvePoint {
  step: number;
  loss: number;
  accuracy?: number;
}

/**
 * The live loss and accuracy curve on a canvas: loss on the left axis (from 0 to the largest loss
 * seen), accuracy on the right (0 to 1), training steps along the bottom.
 */
export function drawCurve(canvas: HTMLCanvasElement, points: readonly CurvePoint[], totalSteps: number): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const left = 44;
  const right = 40;
  const top = 14;
  const bottom = 24;
  const w = width - left - right;
  const h = height - top - bottom;
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(left, top, w, h);
  const maxLoss = Math.max(1e-6, ...points.map((p) => p.loss).filter(Number.isFinite));
  const steps = Math.max(1, totalSteps, points[points.length - 1]?.step ?? 1);
  const x = (step: number): number => left + (step / steps) * w;
  ctx.fillStyle = '#555';
  ctx.textAlign = 'right';
  for (const f of [0, 0.5, 1]) ctx.fillText((maxLoss * f).toPrecision(2), left - 4, top + h - f * h + 4);
  ctx.textAlign = 'left';
  for (const f of [0, 0.5, 1]) ctx.fillText(`${Math.round(f * 100)}%`, left + w + 4, top + h - f * h + 4);
  ctx.textAlign = 'center';
  ctx.fillText(`${steps} steps`, left + w / 2, height - 6);
  const line = (color: string, value: (p: CurvePoint) => number | undefined, scale: number): void => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const p of points) {
      const v = value(p);
      if (v === undefined || !Number.isFinite(v)) continue;
      const y = top + h - (v / scale) * h;
      if (started) ctx.lineTo(x(p.step), y);
      else ctx.moveTo(x(p.step), y);
      started = true;
    }
    ctx.stroke();
  };
  line('#d9480f', (p) => p.loss, maxLoss);
  line('#1c7ed6', (p) => p.accuracy, 1);
  ctx.textAlign = 'left';
  ctx.fillStyle = '#d9480f';
  ctx.fillText('loss', left + 6, top + 12);
  ctx.fillStyle = '#1c7ed6';
  ctx.fillText('accuracy', left + 40, top + 12);
}
