/**
 * The drawing pad: white strokes on black, like the digits. `image()` turns the drawing into what
 * the digits look like: the ink's bounding box scaled into a 20×20 box, centred in 28×28, pixels in
 * [0, 1] (null when nothing is drawn).
 */
export class DrawingPad {
  private drawing = false;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    onStroke: () => void,
  ) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    const at = (e: PointerEvent): [number, number] => {
      const box = canvas.getBoundingClientRect();
      return [((e.clientX - box.left) / box.width) * canvas.width, ((e.clientY - box.top) / box.height) * canvas.height];
    };
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.ctx.beginPath();
      this.ctx.moveTo(...at(e));
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      this.ctx.lineTo(...at(e));
      this.ctx.stroke();
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      onStroke();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = this.canvas.width / 14;
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
  }

  image(): Float32Array | null {
    const { width, height } = this.canvas;
    const pixels = this.ctx.getImageData(0, 0, width, height).data;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (pixels[(y * width + x) * 4]! > 32) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) return null;
    const side = Math.max(x1 - x0 + 1, y1 - y0 + 1);
    const scale = 20 / side;
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const s = small.getContext('2d', { willReadFrequently: true })!;
    s.fillStyle = '#000';
    s.fillRect(0, 0, 28, 28);
    s.imageSmoothingQuality = 'high';
    const w = (x1 - x0 + 1) * scale;
    const h = (y1 - y0 + 1) * scale;
    s.drawImage(this.canvas, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (28 - w) / 2, (28 - h) / 2, w, h);
    const data = s.getImageData(0, 0, 28, 28).data;
    return Float32Array.from({ length: 784 }, (_, i) => data[i * 4]! / 255);
  }
}
