import type { Plan, PlanTensor } from '../plan/format.js';
import { evalDim } from '../plan/dims.js';
import type { HostTensor } from '../tensor.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';

/** Which dataset field feeds which plan input (or label) tensor. */
export type Binding = Array<{ field: string; tensor: PlanTensor }>;

/**
 * Binds dataset fields to a plan's inputs and labels:
 *   1. a field whose name equals an input's or label's name feeds it;
 *   2. then the dataset's label field feeds the first unbound label (the loss target);
 *   3. then the remaining fields, in order, feed the remaining non-label inputs, in order.
 * Labels are needed only when `needLabels` (training, evaluation). Every bound field must fit the
 * tensor's sample shape (all dims after the first); see `conform` for the conversions allowed.
 */
export function bindDataset(plan: Plan, dataset: Dataset, needLabels: boolean): Binding {
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const labels = plan.labels.map((n) => byName.get(n)!);
  const inputs = plan.inputs.filter((n) => !plan.labels.includes(n)).map((n) => byName.get(n)!);
  const targets = needLabels ? [...inputs, ...labels] : inputs;
  const binding: Binding = [];
  const usedFields = new Set<string>();
  const bound = new Set<string>();
  const bind = (field: string, tensor: PlanTensor): void => {
    binding.push({ field, tensor });
    usedFields.add(field);
    bound.add(tensor.name);
  };
  for (const tensor of targets) if (tensor.name in dataset.fields) bind(tensor.name, tensor);
  const labelField = dataset.labelField;
  const freeLabel = needLabels ? labels.find((t) => !bound.has(t.name)) : undefined;
  if (freeLabel && labelField && !usedFields.has(labelField)) bind(labelField, freeLabel);
  const freeFields = Object.keys(dataset.fields).filter((f) => !usedFields.has(f) && f !== labelField);
  for (const tensor of inputs.filter((t) => !bound.has(t.name))) {
    const field = freeFields.shift();
    if (field !== undefined) bind(field, tensor);
  }
  const missing = targets.filter((t) => !bound.has(t.name));
  if (missing.length > 0) {
    throw new DataError(
      'NNR5005',
      `the data has no field for ${missing.map((t) => `'${t.name}'`).join(', ')} (fields: ${Object.keys(dataset.fields).join(', ')})`,
    );
  }
  for (const { field, tensor } of binding) conform(dataset.fields[field]!, tensor, field, plan);
  return binding;
}

/** The executor's inputs for one batch. */
export function feeds(binding: Binding, batch: Dataset, plan: Plan): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const { field, tensor } of binding) out[tensor.name] = conform(batch.fields[field]!, tensor, field, plan);
  return out;
}

/**
 * Makes a field fit a plan tensor: the sample shapes must hold the same number of values (a
 * [N, 28, 28] image field feeds a [batch, 784] input; [N] labels feed a [batch, 1] target), and
 * integer data feeds float inputs; float data feeds an int input only when every value is whole.
 */
export function conform(field: HostTensor, tensor: PlanTensor, fieldName: string, plan: Plan): HostTensor {
  const n = field.shape[0]!;
  const wanted = sampleShape(tensor, field, plan);
  const have = field.shape.slice(1);
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  if (size(have) !== size(wanted)) {
    throw new DataError(
      'NNR5005',
      `field '${fieldName}' has samples of shape [${have.join(', ')}], but input '${tensor.name}' needs [${wanted.join(', ')}]`,
    );
  }
  let data = field.data;
  if (tensor.dtype === 'f32' && field.dtype === 'i32') data = Float32Array.from(field.data);
  if (tensor.dtype === 'i32' && field.dtype === 'f32') {
    const index = field.data.findIndex((v) => !Number.isInteger(v));
    if (index >= 0) {
      throw new DataError('NNR5005', `field '${fieldName}' feeds int input '${tensor.name}' but sample ${Math.floor(index / Math.max(1, size(have))) + 1} holds ${field.data[index]}`);
    }
    data = Int32Array.from(field.data);
  }
  return { shape: [n, ...wanted], dtype: tensor.dtype, data };
}

/** The tensor's shape after the batch axis, with symbolic dims other than batch taken from the field. */
function sampleShape(tensor: PlanTensor, field: HostTensor, plan: Plan): number[] {
  return tensor.shape.slice(1).map((dim, i) => {
    try {
      return evalDim(dim, plan.dims);
    } catch {
      return field.shape[i + 1] ?? 1;
    }
  });
}
