import type { Graph, IRNode } from '../../compiler/ir/graph.js';
import type { Attrs, DType, InitSpec, Shape } from '../../compiler/ir/types.js';
import type { LossSpec, OptimizerSpec, TrainConfig } from '../../compiler/train-config.js';

/**
 * Builds layer-level IR graphs by hand, the way the front end does (dense inputs are
 * [x, weight, bias], params are `param` nodes with ParamInfo), so back-end tests do not depend on
 * the parser and checker.
 */
export class LayerGraph {
  readonly graph: Graph = { nodes: [], inputs: [], outputs: [], params: [] };
  private offset = 0;

  private add(op: string, layer: string, inputs: number[], attrs: Attrs, shape: Shape, dtype: DType = 'f32'): number {
    const id = this.graph.nodes.length;
    const start = this.offset;
    this.offset += 10;
    const node: IRNode = { id, op, inputs, attrs, type: { shape, dtype }, origin: { range: { start, end: start + 5 }, layer, op } };
    this.graph.nodes.push(node);
    return id;
  }

  shape(id: number): Shape {
    return this.graph.nodes[id]!.type.shape;
  }

  input(name: string, shape: Shape, dtype: DType = 'f32', labelOnly = false): number {
    const id = this.add('input', name, [], {}, shape, dtype);
    this.graph.inputs.push({ node: id, name, labelOnly });
    return id;
  }

  label(name: string, shape: Shape, dtype: DType = 'f32'): number {
    return this.input(name, shape, dtype, true);
  }

  param(name: string, shape: Shape, init: InitSpec, trainable = true, regularize?: { l1?: number; l2?: number }): number {
    const layer = name.split('.')[0]!;
    const id = this.add('param', layer, [], {}, shape);
    this.graph.params.push({ node: id, name, init, trainable, ...(regularize ? { regularize } : {}) });
    return id;
  }

  dense(name: string, x: number, units: number, activation: string | null, init: { weight?: number[]; bias?: number[] | false } = {}): number {
    const shape = this.shape(x);
    const inDim = shape[shape.length - 1] as number;
    const w = this.param(`${name}.weight`, [units, inDim], init.weight ? { kind: 'literal', values: init.weight } : { kind: 'glorot_uniform' });
    const inputs = [x, w];
    if (init.bias !== false) inputs.push(this.param(`${name}.bias`, [units], init.bias ? { kind: 'literal', values: init.bias } : { kind: 'zeros' }));
    return this.add('dense', name, inputs, { units, activation }, [...shape.slice(0, -1), units]);
  }

  /** Any other layer op with its checked output type. */
  layer(op: string, name: string, inputs: number[], attrs: Attrs, shape: Shape, dtype: DType = 'f32'): number {
    return this.add(op, name, inputs, attrs, shape, dtype);
  }

  output(name: string, node: number): void {
    this.graph.outputs.push({ name, node });
  }
}

export function trainConfig(
  loss: Partial<LossSpec> & Pick<LossSpec, 'kind' | 'pred' | 'target'>,
  optimizer: OptimizerSpec = { kind: 'gd', lr: 0.1 },
  extra: Partial<TrainConfig> = {},
): TrainConfig {
  const range = { start: 0, end: 0 };
  const lossSpec: LossSpec = { fromLogits: true, sparse: false, delta: 1, smoothing: 0, classWeights: null, range, ...loss };
  return {
    loss: lossSpec,
    losses: [{ ...lossSpec, weight: 1 }],
    optimizer,
    schedule: null,
    warmup: 0,
    clip: { value: null, norm: null },
    regularize: { l1: 0, l2: 0 },
    augment: [],
    earlyStopping: null,
    epochs: 1,
    batch: 4,
    validation: 0,
    metrics: [],
    seed: 1,
    data: null,
    range,
    ...extra,
  };
}

/** The seed network: 3 inputs, 4 sigmoid hidden units, 2 sigmoid outputs, fixed weights; its outputs are pinned in test/compiler/emit/seed.test.ts. */
export function seedGraph(): LayerGraph {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 3]);
  const h = g.dense('h', x, 4, 'sigmoid', {
    weight: [0.5, -0.6, 0.1, 0.7, -0.8, 0.2, -0.1, 0.9, -0.3, 0.3, 0.1, -0.4],
    bias: [0.1, -0.2, 0.3, 0.4],
  });
  const y = g.dense('y', h, 2, 'sigmoid', { weight: [0.2, -0.1, 0.4, 0.6, -0.3, 0.8, -0.5, 0.2], bias: [-0.1, 0.2] });
  g.output('y', y);
  return g;
}
