import type { GradRule } from '../grad-rule.js';
import { activationGrads } from './activations.js';
import { attentionGrads } from './attention.js';
import { convGrads } from './conv.js';
import { recurrentGrads } from './recurrent.js';
import { elementwiseGrads } from './elementwise.js';
import { linearAlgebraGrads } from './linear-algebra.js';
import { mathGrads } from './math.js';
import { stridedGrads } from './strided.js';
import { normalizationGrads } from './normalization.js';

/** The gradient rule of every differentiable primitive, by op name. */
export const GRAD_RULES: Record<string, GradRule> = {
  ...linearAlgebraGrads,
  ...elementwiseGrads,
  ...mathGrads,
  ...stridedGrads,
  ...activationGrads,
  ...normalizationGrads,
  ...convGrads,
  ...recurrentGrads,
  ...attentionGrads,
};
