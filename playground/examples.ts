import digitsCnn from '../examples/digits-cnn.nnet';
import digitsMlp from '../examples/digits-mlp.nnet';
import gan from '../examples/gan.nnet';
import iris from '../examples/iris.nnet';
import residual from '../examples/residual.nnet';
import seed from '../examples/seed.nnet';
import sequenceLstm from '../examples/sequence-lstm.nnet';
import tinyTransformer from '../examples/tiny-transformer.nnet';
import xor from '../examples/xor.nnet';

/** The examples/ sources, bundled into the page as text: the picker's choices. */
export const EXAMPLES: Record<string, string> = {
  'digits-mlp': digitsMlp,
  'digits-cnn': digitsCnn,
  xor,
  iris,
  seed,
  residual,
  'sequence-lstm': sequenceLstm,
  'tiny-transformer': tinyTransformer,
  gan,
};
