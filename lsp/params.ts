import { ErrorCodes, ResponseError } from 'vscode-languageserver';

/**
 * Request params are checked before any handler reads them: a request with missing or mistyped
 * params is answered with InvalidParams (-32602) naming the field, never with an internal error
 * (-32603) from a handler that tripped over `undefined`.
 */
export type ParamField = 'position' | 'range' | 'positions' | 'newName' | 'context';

export function checkParams(method: string, params: unknown, fields: readonly ParamField[] = []): void {
  const fail = (what: string): never => {
    throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${what}`);
  };
  if (!isObject(params)) return fail('params must be an object');
  if (!isObject(params.textDocument) || typeof params.textDocument.uri !== 'string') fail('params.textDocument.uri must be a string');
  for (const field of fields) {
    const value = params[field];
    if (field === 'position' && !isPosition(value)) fail('params.position must be { line, character } of whole numbers ≥ 0');
    if (field === 'range' && !isRange(value)) fail('params.range must be { start, end } positions');
    if (field === 'positions' && !(Array.isArray(value) && value.every(isPosition))) fail('params.positions must be a list of positions');
    if (field === 'newName' && typeof value !== 'string') fail('params.newName must be a string');
    if (field === 'context' && !isObject(value)) fail('params.context must be an object');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): boolean {
  return isObject(value) && isCount(value.line) && isCount(value.character);
}

function isRange(value: unknown): boolean {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
