import { evalDimWith, type DimEvaluation } from '../plan/dims.js';
import type { PlanDim } from '../plan/format.js';
import { attr, type OnnxGraph } from './onnx-graph.js';
import { ONNX_DOUBLE, ONNX_INT64 } from './onnx-model.js';
import { ExportError } from './onnx-step.js';

/**
 * Plan dims as graph values: an int64 scalar for a number or a dim expression (`seq-2`,
 * `floor((seq-3)/2)+1`), its names read from the run-time shapes of the graph inputs that carry them.
 * The arithmetic runs in double (the dim grammar's division is real; floor and ceil make it whole),
 * parsed by the plan's one dim parser (runtime/plan/dims.ts).
 */
export function dimValues(graph: OnnxGraph, inputs: ReadonlyArray<{ name: string; shape: readonly PlanDim[] }>): (value: PlanDim, where: () => string) => string {
  const cache = new Map<string, string>();
  const op = (opType: string, operands: string[], attributes = [] as ReturnType<typeof attr.int>[]): string =>
    graph.add(opType, operands, { name: 'dims', attributes })[0]!;
  const symbols = new Map<string, string>();
  const fromInput = (symbol: string): string | undefined => {
    if (symbols.has(symbol)) return symbols.get(symbol);
    for (const input of inputs) {
      const axis = input.shape.indexOf(symbol);
      if (axis < 0) continue;
      const size = op('Gather', [op('Shape', [input.name]), graph.int64s(`dims:${symbol}:axis`, [axis], [])], [attr.int('axis', 0)]);
      const value = op('Cast', [size], [attr.int('to', ONNX_DOUBLE)]);
      symbols.set(symbol, value);
      return value;
    }
    return undefined;
  };
  return (value, where) => {
    const key = String(value);
    const known = cache.get(key);
    if (known) return known;
    let result: string;
    if (typeof value === 'number') {
      result = graph.int64s(`dims:${value}`, [value], []);
    } else {
      const on: DimEvaluation<string> = {
        number: (n) => graph.doubles(`dims:${n}`, [n], []),
        name: (symbol) => {
          const size = fromInput(symbol);
          if (!size) throw new ExportError(`${where()}: the dim '${symbol}' is not the size of any model input, so the exported graph cannot compute it`);
          return size;
        },
        add: (a, b) => op('Add', [a, b]),
        sub: (a, b) => op('Sub', [a, b]),
        mul: (a, b) => op('Mul', [a, b]),
        div: (a, b) => op('Div', [a, b]),
        neg: (a) => op('Neg', [a]),
        ceil: (a) => op('Ceil', [a]),
        floor: (a) => op('Floor', [a]),
      };
      result = op('Cast', [evalDimWith(value, on)], [attr.int('to', ONNX_INT64)]);
    }
    cache.set(key, result);
    return result;
  };
}
