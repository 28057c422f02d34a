import type { CstNode, CstNodeLocation, IToken } from 'chevrotain';
import type * as Ast from './ast.js';
import type * as Cst from './cst-types.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { makeDiagnostic } from '../diagnostics/make.js';
import type { DiagnosticArgs, DiagnosticCode } from '../diagnostics/table.js';
import { quoteToken } from './quote-token.js';
import { readNumber, readString } from './literals.js';
import { sharedParser } from './parser.js';
import { Plus, Slash, Star } from './tokens.js';
import { MAX_TUPLE_NAMES } from './limits.js';
import { emptyAt, endOf, hasTokens, isReal, nodeRange, present, sortBySource, tokenRange } from './cst-ranges.js';

type SourceRange = Ast.SourceRange;

const VALID_DTYPES = new Set(['f32', 'int']);

/** Where a stray token may appear, and what may appear there instead (for NN1013). */
const STRAY_CONTEXT = {
  file: "at the top level: expected 'model', 'block', 'gan' or 'let'",
  model: (name: Ast.Ident) => `in ${named('model', name)}: expected 'input', 'output', 'let', 'train' or an assignment 'name = value'`,
  block: (name: Ast.Ident) => `in ${named('block', name)}: expected an assignment 'name = value', 'let' or 'return'`,
  train: "in the train section: a setting is a name and its values, as in 'epochs 10'",
  gan: (name: Ast.Ident) => `in ${named('gan', name)}: expected a setting such as 'generator G', or a train section`,
};

/** `model Digits`, or `the model` when recovery found no name. */
function named(kind: string, name: Ast.Ident): string {
  return name.missing ? `the ${kind}` : `${kind} ${name.name}`;
}

/**
 * CST → AST. Each method is named after the parser rule it translates (`validateVisitor` checks
 * that none is missing) and receives the rule's children and its location.
 *
 * Error recovery can drop any child, so every access is optional and every required AST field has
 * a stand-in: `Ident { missing: true }` or `ErrorExpr`, with an empty range where the piece
 * belongs. The builder also reports the syntax errors that are easier to see on a whole rule than
 * token by token: stray tokens, argument order, dtypes and a block's `return`.
 */
class AstBuilder extends sharedParser().getBaseCstVisitorConstructor() {
  private diagnostics: Diagnostic[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  build(cst: CstNode, textLength: number): { file: Ast.FileNode; diagnostics: Diagnostic[] } {
    this.diagnostics = [];
    const file = this.file((cst as Cst.FileCstNode).children, textLength);
    return { file, diagnostics: this.diagnostics };
  }

  // ---------------------------------------------------------------------------------------------
  // Declarations
  // ---------------------------------------------------------------------------------------------

  file(c: Cst.FileCstChildren, textLength: number): Ast.FileNode {
    const decls: Ast.Decl[] = [
      ...present(c.modelDecl).map((n) => this.modelDecl(n.children, n.location)),
      ...present(c.blockDecl).map((n) => this.blockDecl(n.children, n.location)),
      ...present(c.ganDecl).map((n) => this.ganDecl(n.children, n.location)),
      ...present(c.letDecl).map((n) => this.letDecl(n.children, n.location)),
    ];
    sortBySource(decls);
    this.reportStrayTokens(c.junk, decls, STRAY_CONTEXT.file);
    return { kind: 'File', decls, comments: [], range: { start: 0, end: textLength } };
  }

  modelDecl(c: Cst.ModelDeclCstChildren, location?: CstNodeLocation): Ast.ModelDecl {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], endOf(c.Model?.[0], range.start));
    const body: Ast.ModelStmt[] = [
      ...present(c.inputDecl).map((n) => this.inputDecl(n.children, n.location)),
      ...present(c.outputDecl).map((n) => this.outputDecl(n.children, n.location)),
      ...present(c.letDecl).map((n) => this.letDecl(n.children, n.location)),
      ...present(c.trainSection).map((n) => this.trainSection(n.children, n.location)),
      ...present(c.assignment).map((n) => this.assignment(n.children, n.location)),
    ];
    sortBySource(body);
    this.reportStrayTokens(c.junk, body, STRAY_CONTEXT.model(name));
    return { kind: 'Model', name, body, range };
  }

  blockDecl(c: Cst.BlockDeclCstChildren, location?: CstNodeLocation): Ast.BlockDecl {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], endOf(c.Block?.[0], range.start));
    const params = present(c.param).map((n) => this.param(n.children, n.location));
    const statements: Array<Ast.BlockStmt | Ast.ReturnStmt> = [
      ...present(c.assignment).map((n) => this.assignment(n.children, n.location)),
      ...present(c.letDecl).map((n) => this.letDecl(n.children, n.location)),
      ...present(c.returnStmt).map((n) => this.returnStmt(n.children, n.location)),
    ];
    sortBySource(statements);
    this.reportStrayTokens(c.junk, statements, STRAY_CONTEXT.block(name));

    const returnIndex = statements.findIndex((s) => s.kind === 'Return');
    const result = returnIndex >= 0 ? (statements[returnIndex] as Ast.ReturnStmt) : undefined;
    const body = statements.filter((s): s is Ast.BlockStmt => s.kind !== 'Return');
    const afterReturn = returnIndex >= 0 ? statements[returnIndex + 1] : undefined;
    if (afterReturn) this.report('NN1018', [name.name], afterReturn.range);
    const closed = c.RBrace?.[0] !== undefined && isReal(c.RBrace[0]);
    if (!result && closed) this.report('NN1017', [name.name], name.missing ? range : name.range);
    return { kind: 'Block', name, shared: (c.shared?.length ?? 0) > 0, params, body, result, range };
  }

  param(c: Cst.ParamCstChildren, location?: CstNodeLocation): Ast.Param {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], range.start);
    const param: Ast.Param = { kind: 'Param', name, range };
    if (c.Equals) param.default = this.expressionOrError(c.expression?.[0], endOf(c.Equals[0], range.end));
    return param;
  }

  ganDecl(c: Cst.GanDeclCstChildren, location?: CstNodeLocation): Ast.GanDecl {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], endOf(c.Gan?.[0], range.start));
    const settings = present(c.setting).map((n) => this.setting(n.children, n.location));
    const trains = present(c.trainSection).map((n) => this.trainSection(n.children, n.location));
    for (const extra of trains.slice(1)) {
      this.report('NN1013', ["'train'", `in ${named('gan', name)}: a gan has one train section`], extra.keyword);
    }
    this.reportStrayTokens(c.junk, [...settings, ...trains], STRAY_CONTEXT.gan(name));
    const gan: Ast.GanDecl = { kind: 'Gan', name, settings, range };
    if (trains[0]) gan.train = trains[0];
    return gan;
  }

  letDecl(c: Cst.LetDeclCstChildren, location?: CstNodeLocation): Ast.LetDecl {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], endOf(c.Let?.[0], range.start));
    const value = this.expressionOrError(c.expression?.[0], endOf(c.Equals?.[0], name.range.end));
    return { kind: 'Let', name, value, range };
  }

  // ---------------------------------------------------------------------------------------------
  // Statements
  // ---------------------------------------------------------------------------------------------

  inputDecl(c: Cst.InputDeclCstChildren, location?: CstNodeLocation): Ast.InputDecl {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], endOf(c.Input?.[0], range.start));
    const shapeNode = present(c.shape)[0];
    const shape: Ast.ShapeExpr = shapeNode
      ? { kind: 'Shape', dims: this.list(shapeNode.children, shapeNode.location).items, range: nodeRange(shapeNode.location) }
      : { kind: 'Shape', dims: [], range: emptyAt(endOf(c.Colon?.[0], name.range.end)) };
    const input: Ast.InputDecl = { kind: 'Input', name, shape, range };
    const dtypeToken = c.dtype?.[0];
    if (dtypeToken && isReal(dtypeToken)) {
      input.dtype = this.ident(dtypeToken, shape.range.end);
      if (!VALID_DTYPES.has(dtypeToken.image)) this.report('NN1016', [dtypeToken.image], input.dtype.range);
    }
    return input;
  }

  outputDecl(c: Cst.OutputDeclCstChildren, location?: CstNodeLocation): Ast.OutputDecl {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], endOf(c.Output?.[0], range.start));
    const output: Ast.OutputDecl = { kind: 'Output', name, range };
    if (c.Equals) output.value = this.expressionOrError(c.expression?.[0], endOf(c.Equals[0], range.end));
    return output;
  }

  assignment(c: Cst.AssignmentCstChildren, location?: CstNodeLocation): Ast.AssignStmt | Ast.TupleAssignStmt {
    const range = nodeRange(location);
    const name = this.ident(c.Identifier?.[0], range.start);
    if (c.Comma) return this.tupleAssignment(c, range);
    const value = this.expressionOrError(c.expression?.[0], endOf(c.Equals?.[0], name.range.end));
    return { kind: 'Assign', name, value, range };
  }

  /** `a, b = value`: a name the parser had to invent (`a, = ...`) is a missing one after its comma. */
  private tupleAssignment(c: Cst.AssignmentCstChildren, range: SourceRange): Ast.TupleAssignStmt {
    const tokens = [...(c.Identifier ?? []), ...(c.Comma ?? [])].filter(isReal).sort((a, b) => a.startOffset - b.startOffset);
    const names: Ast.Ident[] = [];
    let expectName = true;
    for (const token of tokens) {
      const isComma = token.image === ',';
      if (isComma && expectName) names.push(this.ident(undefined, token.startOffset));
      if (!isComma) names.push(this.ident(token, token.startOffset));
      expectName = isComma;
    }
    if (expectName) names.push(this.ident(undefined, endOf(tokens.at(-1), range.start)));
    if (names.length > MAX_TUPLE_NAMES) this.report('NN4007', [String(names.length), String(MAX_TUPLE_NAMES)], { start: names[0]!.range.start, end: names.at(-1)!.range.end });
    const last = names.at(-1)!;
    const value = this.expressionOrError(c.expression?.[0], endOf(c.Equals?.[0], last.range.end));
    return { kind: 'TupleAssign', names, value, range };
  }

  returnStmt(c: Cst.ReturnStmtCstChildren, location?: CstNodeLocation): Ast.ReturnStmt {
    const range = nodeRange(location);
    const value = this.expressionOrError(c.expression?.[0], endOf(c.Return?.[0], range.end));
    return { kind: 'Return', value, range };
  }

  trainSection(c: Cst.TrainSectionCstChildren, location?: CstNodeLocation): Ast.TrainSection {
    const range = nodeRange(location);
    const keyword = c.Train?.[0] ? tokenRange(c.Train[0], range.start) : emptyAt(range.start);
    const settings = present(c.setting).map((n) => this.setting(n.children, n.location));
    sortBySource(settings);
    this.reportStrayTokens(c.junk, settings, STRAY_CONTEXT.train);
    return { kind: 'Train', keyword, settings, range };
  }

  setting(c: Cst.SettingCstChildren, location?: CstNodeLocation): Ast.Setting {
    const range = nodeRange(location);
    const key = this.ident(c.Identifier?.[0], range.start);
    const argList = c.argList?.[0];
    if (argList) {
      const args = this.argList(argList.children);
      const call: Ast.CallExpr = { kind: 'Call', callee: key, args, range: { start: key.range.start, end: range.end } };
      return { kind: 'Setting', key, values: [call], range };
    }
    const values = present(c.expression).map((n) => this.expression(n.children, n.location));
    return { kind: 'Setting', key, values, range };
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions
  // ---------------------------------------------------------------------------------------------

  expression(c: Cst.ExpressionCstChildren, location?: CstNodeLocation): Ast.Expr {
    const range = nodeRange(location);
    const head = this.arithmetic(c.operand ?? [], c.BinaryOperator ?? [], range);
    const stages = present(c.stage);
    if (stages.length === 0 && !c.Pipe) return head;
    const rest: Ast.Expr[] = stages.map((n) => this.nameOrCall(n.children, n.location));
    if (c.Pipe && c.Pipe.length > stages.length) {
      // `x |>` with nothing after the pipe: keep the pipe's shape with an error stage.
      rest.push({ kind: 'Error', range: emptyAt(range.end) });
    }
    return { kind: 'Pipe', stages: [head, ...rest], range };
  }

  operand(c: Cst.OperandCstChildren, location?: CstNodeLocation): Ast.Expr {
    const range = nodeRange(location);
    let value = this.atom(c, range);
    for (const index of present(c.index)) value = this.index(value, index.children, nodeRange(index.location));
    const minuses = c.Minus ?? [];
    for (let i = minuses.length - 1; i >= 0; i--) {
      value = { kind: 'Unary', op: '-', operand: value, range: { start: minuses[i]!.startOffset, end: range.end } };
    }
    return value;
  }

  /** `target[items]`: the node's range runs from the target's start to the `]`. An empty item (`x[]`, `x[, 1]`) is NN1010. */
  private index(target: Ast.Expr, c: Cst.IndexCstChildren, range: SourceRange): Ast.IndexExpr {
    const separators = [c.LBracket?.[0], ...(c.Comma ?? [])];
    const items = (c.indexItem ?? []).map((n, i): Ast.IndexItem => {
      if (hasTokens(n)) return this.indexItem(n.children, nodeRange(n.location));
      const at = emptyAt(endOf(separators[i], range.end));
      this.report('NN1010', ['an index or a slice (0, -1, 1:, ::2)'], at);
      return { kind: 'Error', range: at };
    });
    return { kind: 'Index', target, items, range: { start: target.range.start, end: range.end } };
  }

  private indexItem(c: Cst.IndexItemCstChildren, range: SourceRange): Ast.IndexItem {
    const part = (node: Cst.ExpressionCstNode | undefined): Ast.Expr | undefined => (node && hasTokens(node) ? this.expression(node.children, node.location) : undefined);
    const start = part(c.start?.[0]);
    if (!c.first) return start ?? { kind: 'Error', range: emptyAt(range.start) };
    const slice: Ast.SliceItem = { kind: 'Slice', range };
    const stop = part(c.stop?.[0]);
    const step = part(c.step?.[0]);
    if (start) slice.start = start;
    if (stop) slice.stop = stop;
    if (step) slice.step = step;
    return slice;
  }

  private atom(c: Cst.OperandCstChildren, range: SourceRange): Ast.Expr {
    if (c.NumberLiteral?.[0]) return numberLiteral(c.NumberLiteral[0]);
    if (c.StringLiteral?.[0]) return stringLiteral(c.StringLiteral[0]);
    if (c.True?.[0]) return { kind: 'Bool', value: true, range: tokenRange(c.True[0], range.start) };
    if (c.False?.[0]) return { kind: 'Bool', value: false, range: tokenRange(c.False[0], range.start) };
    const call = present(c.nameOrCall)[0];
    if (call) return this.nameOrCall(call.children, call.location);
    const list = present(c.list)[0];
    if (list) return this.list(list.children, list.location);
    const parenthesized = present(c.parenthesized)[0];
    if (parenthesized) return this.parenthesized(parenthesized.children, parenthesized.location);
    // Only minus signs survived: the value after them is missing.
    return { kind: 'Error', range: emptyAt(range.end) };
  }

  nameOrCall(c: Cst.NameOrCallCstChildren, location?: CstNodeLocation): Ast.NameRef | Ast.CallExpr {
    const range = nodeRange(location);
    const callee = this.ident(c.Identifier?.[0], range.start);
    const argList = c.argList?.[0];
    if (!argList) return { kind: 'Name', name: callee.name, range: callee.range };
    return { kind: 'Call', callee, args: this.argList(argList.children), range };
  }

  /** The arguments of a call, checked for order (positional first) and repeated names. */
  argList(c: Cst.ArgListCstChildren): Ast.Arg[] {
    const args = present(c.argument).map((n) => this.argument(n.children, n.location));
    const seen = new Set<string>();
    let sawNamed = false;
    for (const arg of args) {
      if (arg.name) {
        sawNamed = true;
        if (!arg.name.missing && seen.has(arg.name.name)) this.report('NN1015', [arg.name.name], arg.name.range);
        seen.add(arg.name.name);
      } else if (sawNamed && arg.value.kind !== 'Error') {
        this.report('NN1014', [], arg.range);
      }
    }
    return args;
  }

  argument(c: Cst.ArgumentCstChildren, location?: CstNodeLocation): Ast.Arg {
    const range = nodeRange(location);
    const nameToken = c.name?.[0];
    const value = this.expressionOrError(c.expression?.[0], endOf(c.Colon?.[0], range.end));
    const arg: Ast.Arg = { kind: 'Arg', value, range };
    if (nameToken) arg.name = this.ident(nameToken, range.start);
    return arg;
  }

  list(c: Cst.ListCstChildren, location?: CstNodeLocation): Ast.ListLit {
    const range = nodeRange(location);
    const items = present(c.expression).map((n) => this.expression(n.children, n.location));
    return { kind: 'List', items, range };
  }

  /** `(a + b)` is `a + b`: the parentheses only group; enclosing nodes' ranges include them. */
  parenthesized(c: Cst.ParenthesizedCstChildren, location?: CstNodeLocation): Ast.Expr {
    const range = nodeRange(location);
    return this.expressionOrError(c.expression?.[0], endOf(c.LParen?.[0], range.end));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * `a op b op c ...` with the usual precedence: `*` and `/` bind tighter than `+` and `-`, and
   * both are left-associative. Each node's range runs from its first operand's start to its last
   * operand's end, parentheses included (`(a + b) * c` starts at the `(`).
   */
  private arithmetic(operandNodes: Cst.OperandCstNode[], operators: IToken[], range: SourceRange): Ast.Expr {
    const operand = (i: number): { expr: Ast.Expr; span: SourceRange } => {
      const node = operandNodes[i];
      if (node && hasTokens(node)) return { expr: this.operand(node.children, node.location), span: nodeRange(node.location) };
      const at = i === 0 ? range.start : endOf(operators[i - 1], range.end);
      return { expr: { kind: 'Error', range: emptyAt(at) }, span: emptyAt(at) };
    };
    const binary = (left: Ast.Expr, operator: IToken, right: Ast.Expr, start: number, end: number): Ast.Expr => ({
      kind: 'Binary',
      op: binaryOperator(operator),
      left,
      right,
      range: { start, end },
    });

    const first = operand(0);
    let sum: Ast.Expr | undefined;
    let sumOperator: IToken | undefined;
    let term = first.expr;
    let termSpan = first.span;
    for (let i = 0; i < operators.length; i++) {
      const operator = operators[i]!;
      const next = operand(i + 1);
      if (operator.tokenType === Star || operator.tokenType === Slash) {
        term = binary(term, operator, next.expr, termSpan.start, next.span.end);
        termSpan = { start: termSpan.start, end: next.span.end };
      } else {
        sum = sum && sumOperator ? binary(sum, sumOperator, term, first.span.start, termSpan.end) : term;
        sumOperator = operator;
        term = next.expr;
        termSpan = next.span;
      }
    }
    return sum && sumOperator ? binary(sum, sumOperator, term, first.span.start, termSpan.end) : term;
  }

  private expressionOrError(node: Cst.ExpressionCstNode | undefined, fallback: number): Ast.Expr {
    return this.childOrError(node, fallback, (n) => this.expression(n.children, n.location));
  }

  private childOrError<N extends CstNode>(node: N | undefined, fallback: number, build: (node: N) => Ast.Expr): Ast.Expr {
    if (!node || !hasTokens(node)) return { kind: 'Error', range: emptyAt(fallback) };
    return build(node);
  }

  private ident(token: IToken | undefined, fallback: number): Ast.Ident {
    if (!token || !isReal(token)) return { kind: 'Ident', name: '', missing: true, range: emptyAt(fallback) };
    return { kind: 'Ident', name: token.image, range: tokenRange(token, fallback) };
  }

  /** One NN1013 per run of consecutive stray tokens (no statement between them). */
  private reportStrayTokens(junk: IToken[] | undefined, statements: readonly { range: SourceRange }[], context: string): void {
    if (!junk || junk.length === 0) return;
    const tokens = junk.filter(isReal).sort((a, b) => a.startOffset - b.startOffset);
    const starts = statements.map((s) => s.range.start).sort((a, b) => a - b);
    let s = 0;
    let runStart: IToken | undefined;
    let runEnd: IToken | undefined;
    const flush = (): void => {
      if (runStart && runEnd) {
        this.report('NN1013', [quoteToken(runStart.image), context], { start: runStart.startOffset, end: endOf(runEnd, runEnd.startOffset) });
      }
    };
    for (const token of tokens) {
      let separated = false;
      while (s < starts.length && starts[s]! < token.startOffset) {
        if (runEnd && starts[s]! > runEnd.startOffset) separated = true;
        s++;
      }
      if (!runStart || separated) {
        flush();
        runStart = token;
      }
      runEnd = token;
    }
    flush();
  }

  private report<C extends DiagnosticCode>(code: C, args: DiagnosticArgs<C>, range: SourceRange): void {
    this.diagnostics.push(makeDiagnostic(code, args, range));
  }
}

function binaryOperator(token: IToken): Ast.BinaryExpr['op'] {
  if (token.tokenType === Plus) return '+';
  if (token.tokenType === Star) return '*';
  if (token.tokenType === Slash) return '/';
  return '-';
}

function numberLiteral(token: IToken): Ast.NumberLit {
  return { kind: 'Number', value: readNumber(token.image).value, raw: token.image, range: tokenRange(token, 0) };
}

function stringLiteral(token: IToken): Ast.StringLit {
  return { kind: 'String', value: readString(token.image).value, range: tokenRange(token, 0) };
}

/** The one builder instance, reused like the parser. */
const astBuilder = new AstBuilder();

export function buildAst(cst: CstNode, textLength: number): { file: Ast.FileNode; diagnostics: Diagnostic[] } {
  return astBuilder.build(cst, textLength);
}
