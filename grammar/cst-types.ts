// Generated from the parser's grammar by chevrotain's generateCstDts (see test/grammar/cst-types.test.ts,
// which regenerates it and fails when it is stale; UPDATE_CST_TYPES=1 rewrites it). Every child is
// optional: error recovery may drop any part of a rule, and the AST builder must cope with that.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface FileCstNode extends CstNode {
  name: "file";
  children: FileCstChildren;
}

export type FileCstChildren = {
  modelDecl?: ModelDeclCstNode[];
  blockDecl?: BlockDeclCstNode[];
  ganDecl?: GanDeclCstNode[];
  letDecl?: LetDeclCstNode[];
  junk?: IToken[];
};

export interface ModelDeclCstNode extends CstNode {
  name: "modelDecl";
  children: ModelDeclCstChildren;
}

export type ModelDeclCstChildren = {
  Model?: IToken[];
  Identifier?: IToken[];
  LBrace?: IToken[];
  inputDecl?: InputDeclCstNode[];
  outputDecl?: OutputDeclCstNode[];
  letDecl?: LetDeclCstNode[];
  trainSection?: TrainSectionCstNode[];
  assignment?: AssignmentCstNode[];
  junk?: IToken[];
  RBrace?: IToken[];
};

export interface BlockDeclCstNode extends CstNode {
  name: "blockDecl";
  children: BlockDeclCstChildren;
}

export type BlockDeclCstChildren = {
  shared?: IToken[];
  Block?: IToken[];
  Identifier?: IToken[];
  LParen?: IToken[];
  param?: (ParamCstNode)[];
  Comma?: (IToken)[];
  RParen?: IToken[];
  LBrace?: IToken[];
  assignment?: AssignmentCstNode[];
  letDecl?: LetDeclCstNode[];
  returnStmt?: ReturnStmtCstNode[];
  junk?: IToken[];
  RBrace?: IToken[];
};

export interface ParamCstNode extends CstNode {
  name: "param";
  children: ParamCstChildren;
}

export type ParamCstChildren = {
  Identifier?: IToken[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface GanDeclCstNode extends CstNode {
  name: "ganDecl";
  children: GanDeclCstChildren;
}

export type GanDeclCstChildren = {
  Gan?: IToken[];
  Identifier?: IToken[];
  LBrace?: IToken[];
  trainSection?: TrainSectionCstNode[];
  setting?: SettingCstNode[];
  junk?: IToken[];
  RBrace?: IToken[];
};

export interface LetDeclCstNode extends CstNode {
  name: "letDecl";
  children: LetDeclCstChildren;
}

export type LetDeclCstChildren = {
  Let?: IToken[];
  Identifier?: IToken[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface InputDeclCstNode extends CstNode {
  name: "inputDecl";
  children: InputDeclCstChildren;
}

export type InputDeclCstChildren = {
  Input?: IToken[];
  Identifier?: IToken[];
  Colon?: IToken[];
  shape?: ListCstNode[];
  dtype?: IToken[];
};

export interface OutputDeclCstNode extends CstNode {
  name: "outputDecl";
  children: OutputDeclCstChildren;
}

export type OutputDeclCstChildren = {
  Output?: IToken[];
  Identifier?: IToken[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface AssignmentCstNode extends CstNode {
  name: "assignment";
  children: AssignmentCstChildren;
}

export type AssignmentCstChildren = {
  Identifier?: (IToken)[];
  Comma?: IToken[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface ReturnStmtCstNode extends CstNode {
  name: "returnStmt";
  children: ReturnStmtCstChildren;
}

export type ReturnStmtCstChildren = {
  Return?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface TrainSectionCstNode extends CstNode {
  name: "trainSection";
  children: TrainSectionCstChildren;
}

export type TrainSectionCstChildren = {
  Train?: IToken[];
  LBrace?: IToken[];
  setting?: SettingCstNode[];
  junk?: IToken[];
  RBrace?: IToken[];
};

export interface SettingCstNode extends CstNode {
  name: "setting";
  children: SettingCstChildren;
}

export type SettingCstChildren = {
  Identifier?: IToken[];
  argList?: ArgListCstNode[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  operand?: (OperandCstNode)[];
  BinaryOperator?: IToken[];
  Pipe?: IToken[];
  stage?: NameOrCallCstNode[];
};

export interface OperandCstNode extends CstNode {
  name: "operand";
  children: OperandCstChildren;
}

export type OperandCstChildren = {
  Minus?: IToken[];
  NumberLiteral?: IToken[];
  StringLiteral?: IToken[];
  True?: IToken[];
  False?: IToken[];
  nameOrCall?: NameOrCallCstNode[];
  list?: ListCstNode[];
  parenthesized?: ParenthesizedCstNode[];
  index?: IndexCstNode[];
};

export interface IndexCstNode extends CstNode {
  name: "index";
  children: IndexCstChildren;
}

export type IndexCstChildren = {
  LBracket?: IToken[];
  indexItem?: (IndexItemCstNode)[];
  Comma?: (IToken)[];
  RBracket?: IToken[];
};

export interface IndexItemCstNode extends CstNode {
  name: "indexItem";
  children: IndexItemCstChildren;
}

export type IndexItemCstChildren = {
  start?: ExpressionCstNode[];
  first?: IToken[];
  stop?: ExpressionCstNode[];
  second?: IToken[];
  step?: ExpressionCstNode[];
};

export interface NameOrCallCstNode extends CstNode {
  name: "nameOrCall";
  children: NameOrCallCstChildren;
}

export type NameOrCallCstChildren = {
  Identifier?: IToken[];
  argList?: ArgListCstNode[];
};

export interface ArgListCstNode extends CstNode {
  name: "argList";
  children: ArgListCstChildren;
}

export type ArgListCstChildren = {
  LParen?: IToken[];
  argument?: (ArgumentCstNode)[];
  Comma?: (IToken)[];
  RParen?: IToken[];
};

export interface ArgumentCstNode extends CstNode {
  name: "argument";
  children: ArgumentCstChildren;
}

export type ArgumentCstChildren = {
  name?: IToken[];
  Colon?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface ListCstNode extends CstNode {
  name: "list";
  children: ListCstChildren;
}

export type ListCstChildren = {
  LBracket?: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: (IToken)[];
  RBracket?: IToken[];
};

export interface ParenthesizedCstNode extends CstNode {
  name: "parenthesized";
  children: ParenthesizedCstChildren;
}

export type ParenthesizedCstChildren = {
  LParen?: IToken[];
  expression?: ExpressionCstNode[];
  RParen?: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  file(children: FileCstChildren, param?: IN): OUT;
  modelDecl(children: ModelDeclCstChildren, param?: IN): OUT;
  blockDecl(children: BlockDeclCstChildren, param?: IN): OUT;
  param(children: ParamCstChildren, param?: IN): OUT;
  ganDecl(children: GanDeclCstChildren, param?: IN): OUT;
  letDecl(children: LetDeclCstChildren, param?: IN): OUT;
  inputDecl(children: InputDeclCstChildren, param?: IN): OUT;
  outputDecl(children: OutputDeclCstChildren, param?: IN): OUT;
  assignment(children: AssignmentCstChildren, param?: IN): OUT;
  returnStmt(children: ReturnStmtCstChildren, param?: IN): OUT;
  trainSection(children: TrainSectionCstChildren, param?: IN): OUT;
  setting(children: SettingCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  operand(children: OperandCstChildren, param?: IN): OUT;
  index(children: IndexCstChildren, param?: IN): OUT;
  indexItem(children: IndexItemCstChildren, param?: IN): OUT;
  nameOrCall(children: NameOrCallCstChildren, param?: IN): OUT;
  argList(children: ArgListCstChildren, param?: IN): OUT;
  argument(children: ArgumentCstChildren, param?: IN): OUT;
  list(children: ListCstChildren, param?: IN): OUT;
  parenthesized(children: ParenthesizedCstChildren, param?: IN): OUT;
}
