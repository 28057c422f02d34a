import { formatShape, perSampleSize } from '../shapes/dims.js';
import { tensorParam } from './common.js';
import { expects, ok, type OpDef } from './types.js';

/**
 * positional_encoding(x): adds the fixed sinusoidal encoding of "Attention is all you need"
 * (sin on even features, cos on odd, wavelengths up to 10000) to a [batch, seq, d_model] sequence.
 * No parameters; works for a symbolic `seq`.
 *
 * IR form: inputs [x]; attrs {}.
 */
export const positional_encoding: OpDef = {
  name: 'positional_encoding',
  category: 'layer',
  doc: 'Adds sinusoidal position information to a sequence of vectors.',
  params: [tensorParam()],
  shapeRule: 'unchanged ([batch, seq, d_model])',
  irForm: 'inputs [x]; attrs {}',
  infer({ inputs: [x] }) {
    if (x!.shape.length !== 3) return expects('[batch, seq, d_model]');
    if (x!.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x!.shape)} int` });
    return ok(x!.shape);
  },
  attrs: () => ({}),
  flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
};
