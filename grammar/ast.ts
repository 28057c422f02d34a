/**
 * The .nnet abstract syntax tree.
 *
 * Every node carries the source range it was built from, as character offsets into the document
 * (`end` exclusive). Offsets are the one position currency of the front end: the CLI turns them into
 * `line:col` for printing, the language server into LSP positions (see `diagnostics/line-map.ts`).
 *
 * Error recovery never leaves a required field undefined: a piece the parser had to invent is an
 * `Ident` with `missing: true` (empty name, zero-length range) or an `ErrorExpr`.
 */

import type { SourceRange } from '../diagnostics/types.js';

export type { SourceRange };

interface NodeBase {
  range: SourceRange;
}

export interface Ident extends NodeBase {
  kind: 'Ident';
  name: string;
  /** True when error recovery invented this identifier. */
  missing?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export interface NumberLit extends NodeBase {
  kind: 'Number';
  value: number;
  /** The literal as written (`1e-3`), kept for the formatter. */
  raw: string;
}

export interface StringLit extends NodeBase {
  kind: 'String';
  value: string;
}

interface BoolLit extends NodeBase {
  kind: 'Bool';
  value: boolean;
}

/** A reference to a value, constant, dim, block, op, activation... resolved by the compiler. */
export interface NameRef extends NodeBase {
  kind: 'Name';
  name: string;
}

export interface ListLit extends NodeBase {
  kind: 'List';
  items: Expr[];
}

export interface Arg extends NodeBase {
  kind: 'Arg';
  /** Present for a named argument (`lr: 1e-3`). */
  name?: Ident;
  value: Expr;
}

export interface CallExpr extends NodeBase {
  kind: 'Call';
  callee: Ident;
  args: Arg[];
}

/**
 * `x |> flatten |> dense(10)`. `stages[0]` is any expression; every later stage is a `Call` or a
 * `Name` (an op used without arguments). A stage receives the previous value as its first positional
 * argument: `a |> f(b, k: c)` means `f(a, b, k: c)`.
 */
export interface PipeExpr extends NodeBase {
  kind: 'Pipe';
  stages: Expr[];
}

interface UnaryExpr extends NodeBase {
  kind: 'Unary';
  op: '-';
  operand: Expr;
}

export interface BinaryExpr extends NodeBase {
  kind: 'Binary';
  op: '+' | '-' | '*' | '/';
  left: Expr;
  right: Expr;
}

/**
 * `x[:, 0]`, `x[:, 1:]`, `x[..., ::-1]`-like indexing: one item per axis from the first; an item is an
 * index (an expression: that axis is dropped) or a slice.
 */
export interface IndexExpr extends NodeBase {
  kind: 'Index';
  target: Expr;
  items: IndexItem[];
}

/** `start:stop:step` inside an index; a part left out is absent (`:` has none). */
export interface SliceItem extends NodeBase {
  kind: 'Slice';
  start?: Expr;
  stop?: Expr;
  step?: Expr;
}

export type IndexItem = Expr | SliceItem;

/** Produced by error recovery where an expression was required but none could be parsed. */
interface ErrorExpr extends NodeBase {
  kind: 'Error';
}

export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | NameRef
  | ListLit
  | CallExpr
  | PipeExpr
  | UnaryExpr
  | BinaryExpr
  | IndexExpr
  | ErrorExpr;

// ---------------------------------------------------------------------------------------------
// Statements and declarations
// ---------------------------------------------------------------------------------------------

/** `let width = 128` at top level, in a model or in a block. */
export interface LetDecl extends NodeBase {
  kind: 'Let';
  name: Ident;
  value: Expr;
}

/** `[batch, 28, 28]`: dims are numbers, names (symbolic dims or constants) or arithmetic. */
export interface ShapeExpr extends NodeBase {
  kind: 'Shape';
  dims: Expr[];
}

/** `input image: [batch, 28, 28]` or `input label: [batch] int`. */
export interface InputDecl extends NodeBase {
  kind: 'Input';
  name: Ident;
  shape: ShapeExpr;
  /** `f32` (the default when absent) or `int`. */
  dtype?: Ident;
}

/** `output y` or `output probs = softmax(logits)`. */
export interface OutputDecl extends NodeBase {
  kind: 'Output';
  name: Ident;
  value?: Expr;
}

/** `h = dense(x, 4, relu)`. */
export interface AssignStmt extends NodeBase {
  kind: 'Assign';
  name: Ident;
  value: Expr;
}

/**
 * `mu, logvar = split(h, 2, axis: -1)`: two or more names taking the parts of one `split`, in order
 * (docs/language.md, "Splitting a tensor"). The grammar takes any value on the right; the checker
 * refuses one that is not a split (NN2037). `_` discards a part.
 */
export interface TupleAssignStmt extends NodeBase {
  kind: 'TupleAssign';
  names: Ident[];
  value: Expr;
}

/**
 * One line of a `train` section or of a `gan` body: a key followed by comma-separated values
 * (`epochs 10`, `loss cross_entropy(logits, label)`, `metrics accuracy, top_k(5)`), or a call used as
 * a statement (`early_stopping(monitor: val_loss, patience: 3)`), which is stored with the callee as
 * `key` and the whole call as the single value.
 */
export interface Setting extends NodeBase {
  kind: 'Setting';
  key: Ident;
  values: Expr[];
}

export interface TrainSection extends NodeBase {
  kind: 'Train';
  /** The `train` keyword, for diagnostics that point at the section as a whole. */
  keyword: SourceRange;
  settings: Setting[];
}

export type ModelStmt = InputDecl | OutputDecl | AssignStmt | TupleAssignStmt | LetDecl | TrainSection;

/** What a block's body holds before its `return`. */
export type BlockStmt = AssignStmt | TupleAssignStmt | LetDecl;

export interface ModelDecl extends NodeBase {
  kind: 'Model';
  name: Ident;
  body: ModelStmt[];
}

export interface Param extends NodeBase {
  kind: 'Param';
  name: Ident;
  default?: Expr;
}

export interface ReturnStmt extends NodeBase {
  kind: 'Return';
  value: Expr;
}

/** `block residual(x, width) { ... return add(x, h) }`, expanded and checked at every use. */
export interface BlockDecl extends NodeBase {
  kind: 'Block';
  name: Ident;
  /** `shared block`: every use shares one set of weights (those of its first use). */
  shared: boolean;
  params: Param[];
  body: BlockStmt[];
  /** Absent only when recovery lost it; the checker reports a missing return. */
  result?: ReturnStmt;
}

/**
 * `gan Name { generator G  discriminator D  train { ... } }`: two models trained adversarially.
 * `settings` holds `generator`, `discriminator` and any other key/value lines.
 */
export interface GanDecl extends NodeBase {
  kind: 'Gan';
  name: Ident;
  settings: Setting[];
  train?: TrainSection;
}

export type Decl = ModelDecl | BlockDecl | LetDecl | GanDecl;

export interface Comment {
  range: SourceRange;
  text: string;
  /** `//` line comment or `/* *\/` block comment. */
  style: 'line' | 'block';
}

export interface FileNode extends NodeBase {
  kind: 'File';
  decls: Decl[];
  /** Every comment in document order; the formatter re-attaches them, the checker ignores them. */
  comments: Comment[];
}

export type AstNode =
  | FileNode
  | Decl
  | ModelStmt
  | Setting
  | ShapeExpr
  | Param
  | ReturnStmt
  | Arg
  | Ident
  | SliceItem
  | Expr;
