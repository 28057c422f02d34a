import type { IRNode } from '../ir/graph.js';
import type { GraphBuilder } from './graph-builder.js';

/** What a lowering rule receives: the layer node, its inputs already lowered, and a builder. */
export interface LowerContext {
  builder: GraphBuilder;
  node: IRNode;
  /** Ids in the new graph of the layer node's inputs, in order. */
  inputs: number[];
}

/** Lowers one layer op into primitives; returns the new node that carries the layer's value. */
export type LowerRule = (ctx: LowerContext) => number;

/** The activation of a layer's `activation` attribute: a name, or `{ name, alpha }`; null means none. */
export function activationAttr(value: unknown): { name: string; alpha?: number } | null {
  if (value === null || value === undefined || value === 'linear' || value === 'none') return null;
  if (typeof value === 'string') return { name: value };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const name = (record.name ?? record.kind) as string | undefined;
    if (!name || name === 'linear') return null;
    return typeof record.alpha === 'number' ? { name, alpha: record.alpha } : { name };
  }
  throw new Error(`unsupported activation ${JSON.stringify(value)}`);
}

export class LoweringError extends Error {
  constructor(message: string, readonly layer: string, readonly range: { start: number; end: number }) {
    super(message);
  }
}
