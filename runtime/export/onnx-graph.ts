import { ONNX_BOOL, ONNX_DOUBLE, ONNX_FLOAT, ONNX_INT64, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-model.js';

/**
 * The ONNX graph under construction: nodes, initializers and a name supply. Every name it hands out
 * is fresh (neither a plan tensor's nor one given before), so the op mappings never collide.
 */
export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  fresh(base: string): string {
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}#${k}`;
    this.taken.add(name);
    return name;
  }

  /** Adds a node; its outputs are `outputs` (names) or that many fresh names derived from `hint`. */
  add(opType: string, inputs: readonly string[], options: { outputs?: readonly string[]; attributes?: OnnxAttribute[]; name: string }): string[] {
    const outputs = options.outputs ? [...options.outputs] : [this.fresh(`${options.name}:${opType}`)];
    this.nodes.push({ opType, name: this.fresh(`${options.name}/${opType}`), inputs: [...inputs], outputs, ...(options.attributes ? { attributes: options.attributes } : {}) });
    return outputs;
  }

  initializer(tensor: OnnxTensor): void {
    this.initializers.push(tensor);
  }

  /** An int64 constant (shapes, axes, indices). */
  int64s(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(hint, ONNX_INT64, dims, new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer));
  }

  floats(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(hint, ONNX_FLOAT, dims, new Uint8Array(Float32Array.from(values).buffer));
  }

  doubles(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(hint, ONNX_DOUBLE, dims, new Uint8Array(Float64Array.from(values).buffer));
  }

  bools(hint: string, values: readonly boolean[], dims: readonly number[] = [values.length]): string {
    return this.constant(hint, ONNX_BOOL, dims, Uint8Array.from(values.map((v) => (v ? 1 : 0))));
  }

  private constant(hint: string, dataType: number, dims: readonly number[], raw: Uint8Array): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], dataType, raw });
    return name;
  }

  /**
   * Drops nodes whose outputs nothing reads and initializers no node reads: what a mapping made
   * redundant (the input projection an ONNX LSTM absorbs) or never needed.
   */
  prune(keep: ReadonlySet<string>): void {
    const needed = new Set(keep);
    const live: OnnxNode[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (!node.outputs.some((o) => o !== '' && needed.has(o))) continue;
      live.push(node);
      for (const input of node.inputs) if (input !== '') needed.add(input);
    }
    this.nodes.splice(0, this.nodes.length, ...live.reverse());
    const kept = this.initializers.filter((t) => needed.has(t.name));
    this.initializers.splice(0, this.initializers.length, ...kept);
  }
}

export const attr = {
  int: (name: string, value: number): OnnxAttribute => ({ name, kind: 'int', value }),
  float: (name: string, value: number): OnnxAttribute => ({ name, kind: 'float', value }),
  ints: (name: string, value: readonly number[]): OnnxAttribute => ({ name, kind: 'ints', value: [...value] }),
  string: (name: string, value: string): OnnxAttribute => ({ name, kind: 'string', value }),
  floats: (name: string, value: readonly number[]): OnnxAttribute => ({ name, kind: 'floats', value: [...value] }),
};

