import type { AstNode, Comment, Expr } from '../ast.js';

/** What Prettier walks: AST nodes, plus the comments it attaches to them. */
export type FormatNode = AstNode | Comment;

/** Prettier's bookkeeping on an attached comment (set by its comment attachment pass). */
export interface AttachedComment extends Comment {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  /** `open`: kept right after the node's opening bracket (see comments.ts). */
  placement?: 'open';
}

export function isComment(node: FormatNode): node is Comment {
  return !('kind' in node);
}

/**
 * The children of each node kind, in source order: Prettier attaches comments to these and the
 * printer recurses into them. A setting written as a call (`early_stopping(...)`) stores the callee
 * twice (as `key` and inside the call); only the call is a child, so no comment lands on the copy.
 */
export function childKeys(node: FormatNode): string[] {
  if (isComment(node)) return [];
  switch (node.kind) {
    case 'File':
      return ['decls'];
    case 'Model':
      return ['name', 'body'];
    case 'Block':
      return ['name', 'params', 'body', 'result'];
    case 'Gan':
      return ['name', 'settings', 'train'];
    case 'Let':
    case 'Assign':
      return ['name', 'value'];
    case 'TupleAssign':
      return ['names', 'value'];
    case 'Input':
      return ['name', 'shape', 'dtype'];
    case 'Output':
      return ['name', 'value'];
    case 'Train':
      return ['settings'];
    case 'Setting':
      return isCallSetting(node) ? ['values'] : ['key', 'values'];
    case 'Shape':
      return ['dims'];
    case 'Param':
      return ['name', 'default'];
    case 'Return':
      return ['value'];
    case 'Arg':
      return ['name', 'value'];
    case 'Call':
      return ['callee', 'args'];
    case 'Pipe':
      return ['stages'];
    case 'Unary':
      return ['operand'];
    case 'Binary':
      return ['left', 'right'];
    case 'List':
      return ['items'];
    case 'Index':
      return ['target', 'items'];
    case 'Slice':
      return (['start', 'stop', 'step'] as const).filter((k) => node[k] !== undefined);
    default:
      return [];
  }
}

/** `early_stopping(monitor: val_loss)` as a statement: the key is the call's own callee. */
export function isCallSetting(node: AstNode): boolean {
  if (node.kind !== 'Setting' || node.values.length !== 1) return false;
  const value = node.values[0] as Expr;
  return value.kind === 'Call' && value.callee.range.start === node.key.range.start;
}
