import type { DiagnosticDef } from './types.js';

/**
 * Names, blocks, arguments, weights and shapes (NN2xxx), reported by compiler/check/. A shape error
 * points at the op that fails and, as related information, at where its input's shape came from.
 */
export const NAME_SHAPE_DIAGNOSTICS = [
  // --- Names.
  {
    code: 'NN2001',
    severity: 'error',
    template: "'{0}' is not defined{1}",
    explanation: 'A name is used that no input, value, constant, block parameter or dim declares in scope. Check the spelling (a suggestion is offered when a close name exists) or define it first.',
  },
  {
    code: 'NN2002',
    severity: 'error',
    template: "unknown op '{0}'{1}",
    explanation: 'A call names neither an op, an activation nor a block. See "Ops" in docs/language.md for the vocabulary; a close match is suggested.',
  },
  {
    code: 'NN2003',
    severity: 'error',
    template: '{0} expects {1}, got {2}',
    explanation: 'The input of an op does not have the shape or dtype its shape rule needs. The related location shows where the input\'s shape came from; insert a `flatten` or `reshape` where the fix suggests one.',
  },
  {
    code: 'NN2004',
    severity: 'error',
    template: "'{0}' is already defined",
    explanation: 'Every name is bound once per scope (values are immutable). Rename one of the two; the related location shows the first definition.',
  },
  {
    code: 'NN2005',
    severity: 'warning',
    template: "'{0}' is computed but never used",
    explanation: 'A value is neither an output, nor used by another value or by the train section. Use it, expose it with `output`, or delete it; a part of `a, b = split(...)` that is not needed is named `_` (the fix).',
  },
  {
    code: 'NN2006',
    severity: 'error',
    template: '{0} takes {1}, got {2}',
    explanation: 'An op, block or setting was called with too many or too few positional arguments. See its signature in docs/language.md.',
  },
  {
    code: 'NN2007',
    severity: 'error',
    template: "{0} has no argument named '{1}'{2}",
    explanation: 'A named argument is not in the signature of the op, block or setting. A close name is suggested when one exists.',
  },
  {
    code: 'NN2008',
    severity: 'error',
    template: "argument '{0}' of {1} expects {2}, got {3}",
    explanation: 'An argument has the wrong kind of value: a tensor where a number is needed, a fractional number where a whole one is, an unknown word for a choice such as `padding`.',
  },
  {
    code: 'NN2009',
    severity: 'error',
    template: "argument '{0}' of {1} is given twice",
    explanation: 'An argument was passed both by position and by name, or named twice. Keep one.',
  },
  {
    code: 'NN2010',
    severity: 'error',
    template: "{0} needs argument '{1}'",
    explanation: 'A required argument (without a default) is missing, such as the units of `dense`.',
  },
  {
    code: 'NN2011',
    severity: 'error',
    template: "argument '{0}' of {1} must be {2}, got {3}",
    explanation: 'A numeric argument is outside its allowed range: a dropout rate in [0, 1), a positive kernel size, a non-negative penalty.',
  },
  {
    code: 'NN2012',
    severity: 'error',
    template: "'{0}' of {1} is {2}, larger than the limit of {3}",
    explanation: 'A size is absurdly large (`dense(x, 1e15)`), beyond what any model could allocate. The limits exist so that a typo gives an error instead of exhausting memory.',
  },
  // --- Weights.
  {
    code: 'NN2013',
    severity: 'error',
    template: "literal for '{0}' has shape {1}, but {2} needs {3}",
    explanation: 'A literal weight list must have exactly the parameter\'s shape (a dense weight is [units, in]; see docs/conventions.md).',
  },
  {
    code: 'NN2014',
    severity: 'error',
    template: 'literal list is ragged: {0}',
    explanation: 'Every row of a nested literal list must have the same length and hold only numbers.',
  },
  {
    code: 'NN2015',
    severity: 'error',
    template: "'{0}' cannot be switched off with false",
    explanation: 'Only optional parameters (such as `bias`) may be `false`. Give an initialiser or a literal instead.',
  },
  // --- Values and constants.
  {
    code: 'NN2016',
    severity: 'error',
    template: 'expected {0}, got {1}',
    explanation: 'A value of the wrong kind appears where a tensor, a constant or a dim is needed (for example a tensor in constant arithmetic, or a number where a tensor input is required).',
  },
  {
    code: 'NN2017',
    severity: 'error',
    template: 'division by zero in a constant expression',
    explanation: 'Constant arithmetic is folded at compile time and a division by zero has no value.',
  },
  {
    code: 'NN2018',
    severity: 'error',
    template: "input dim {0} must be a positive whole number or a symbolic name",
    explanation: 'Input shapes hold positive integers, constants that fold to them, or symbolic names such as `batch` and `seq`.',
  },
  // --- Models and blocks.
  {
    code: 'NN2020',
    severity: 'error',
    template: "model '{0}' has no {1}",
    explanation: 'A model needs at least one `input` and one `output`.',
  },
  {
    code: 'NN2021',
    severity: 'error',
    template: "block '{0}' calls itself{1}",
    explanation: 'Blocks are expanded at every use, so a block that calls itself (directly or through others) would never finish expanding.',
  },
  {
    code: 'NN2023',
    severity: 'error',
    template: "the first argument of block '{0}' must be a tensor, got {1}",
    explanation: 'A block receives its input tensor first (which is what lets it be a pipeline stage); the other parameters are constants.',
  },
  {
    code: 'NN2024',
    severity: 'error',
    template: "gan '{0}': {1}",
    explanation: 'A gan names a generator and a discriminator model; the generator\'s output must fit the discriminator\'s input, and the discriminator must output one logit per sample.',
  },
  {
    code: 'NN2025',
    severity: 'error',
    template: "unknown initialiser '{0}'{1}",
    explanation: 'A weight argument names no initialiser. See "Weights and initialisers" in docs/language.md.',
  },
  {
    code: 'NN2026',
    severity: 'error',
    template: "unknown activation '{0}'{1}",
    explanation: 'An activation argument names no activation (relu, gelu, sigmoid, tanh, softmax, ...). A close match is suggested.',
  },
  {
    code: 'NN2027',
    severity: 'error',
    template: 'model has {0} parameters, more than the limit of {1}',
    explanation: 'The parameter count is beyond what the tool is meant for (and beyond memory); some size is probably mistyped.',
  },
  {
    code: 'NN2028',
    severity: 'warning',
    template: "block '{0}' is never used",
    explanation: 'A block is only checked where it is used, so an unused block is not checked at all. Use it or delete it.',
  },
  {
    code: 'NN2029',
    severity: 'warning',
    template: "input '{0}' is never used",
    explanation: 'No value, output or train section reads this input, so the data fed to it is ignored. Use it (as a loss target, say) or delete it.',
  },
  {
    code: 'NN2030',
    severity: 'error',
    template: "shared block '{0}': the {1} of {2} is {3} here but {4} at the block's first use",
    explanation: 'Every use of a `shared block` uses the weights its first use made, so each use must give its layers the same sizes. Pass the same sizes at every use, or drop `shared` to give each use weights of its own.',
  },
  {
    code: 'NN2031',
    severity: 'error',
    template: 'tied({0}) gives {1}, but the {2} of {3} needs {4}',
    explanation: "`tied(value)` reuses a weight of the layer that computed `value`: the one of the same role, else its only one. It must have the shape this layer needs (a dense weight is [units, in], so an output projection tied to an embedding table [vocab, dim] is `dense(h, vocab, weight: tied(emb))` on an h of width dim). `tied(value, transpose: true)` reads a 2-D weight transposed, as an autoencoder's decoder reads its encoder's [units, in] weight as its own [in, units].",
  },
  {
    code: 'NN2032',
    severity: 'error',
    template: "shared block '{0}' is {1} here but {2} at its first use",
    explanation: 'Every use of a `shared block` reads the one set of weights its first use made, so its weights cannot be frozen at one use and trained at another. Freeze every use (`frozen: true` on each call, or on a block around them) or none; to freeze a copy, drop `shared`.',
  },
  // --- split and tuple assignment (`mu, logvar = split(h, 2)`).
  {
    code: 'NN2033',
    severity: 'error',
    template: 'split gives {0}, but {1}',
    explanation: 'A `split` gives one value per part, and a tuple assignment takes one name per part: `mu, logvar = split(h, 2)`. Give as many names as parts (`_` for a part you do not need), or change the number of parts; the fix does the latter for a count. A split used as a single value (an argument, a pipeline stage, `h = split(...)`) must have one part; take its parts by a tuple assignment.',
  },
  {
    code: 'NN2034',
    severity: 'error',
    template: 'split sizes {0} sum to {1}, but axis {2} of \'{3}\' has size {4}',
    explanation: 'With a list of sizes, `split(x, [4, 4, 8], axis: 1)`, the parts must cover the axis exactly, like tf.split. The fix changes the last size so that they do, where it can stay positive; the related location shows where the input got its shape.',
  },
  {
    code: 'NN2035',
    severity: 'error',
    template: 'split into {0} equal parts needs axis {1} of \'{2}\' to be a multiple of {0}, but it is {3}',
    explanation: 'A count of parts, `split(h, 3)`, cuts the axis into equal parts, so the axis size must divide by it. Give the sizes instead (the fix writes near-equal ones, larger first, as NumPy\'s array_split), or change the count.',
  },
  {
    code: 'NN2036',
    severity: 'error',
    template: "split cannot cut axis {0} of '{1}': its size {2} is symbolic",
    explanation: 'The sizes of the parts must be known when the model is checked, so `split` cuts only an axis of fixed size, never `batch` or a symbolic length such as `seq`. Split another axis, or slice the symbolic one with indexing (`x[:, :4]`, `x[:, 4:]`), which keeps it symbolic.',
  },
  {
    code: 'NN2037',
    severity: 'error',
    template: '{0} names take the parts of a split, but {1} gives one value',
    explanation: 'Several names on the left of `=` (`mu, logvar = ...`) take the parts of a `split(...)`, the only op that gives several values. Assign the one value to one name (the fix keeps the first), or split it: `a, b = split(h, 2)`.',
  },
  {
    code: 'NN2099',
    severity: 'error',
    template: 'internal error while checking {0}: {1}',
    explanation: 'A bug in the checker. The rest of the file was still checked; please report the input that caused it.',
  },
] as const satisfies readonly DiagnosticDef[];
