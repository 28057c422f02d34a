import { Op, Type, u32, vector } from './wasm-bytes.js';

/**
 * A function body written with named locals and structured loops, for the kernels whose control flow
 * is more than one loop (pooling: pool-module.ts). Code is byte arrays as in wasm-bytes.ts; `get`,
 * `set` and the loop helpers look locals up by name. Parameters come first, in declaration order.
 */
type ValueType = typeof Type.i32 | typeof Type.f32 | typeof Type.v128;

export class WasmFunction {
  private readonly params: Array<[string, ValueType]> = [];
  private readonly locals: Array<[string, ValueType]> = [];
  private readonly index = new Map<string, number>();

  constructor(params: ReadonlyArray<readonly [string, ValueType]>) {
    for (const [name, type] of params) {
      this.index.set(name, this.params.length);
      this.params.push([name, type]);
    }
  }

  /** Declares locals (after every parameter). */
  declare(type: ValueType, ...names: string[]): void {
    for (const name of names) {
      // Indexed by name as the parameters are: a kernel's code looks its locals up tens of thousands
      // of times while the modules are written at start-up, where a search of the list took 5–10%.
      if (!this.index.has(name)) this.index.set(name, this.params.length + this.locals.length);
      this.locals.push([name, type]);
    }
  }

  /** The local's index (for code that takes indices: sgemm-module.ts's activationCode). */
  slot(name: string): number {
    const slot = this.index.get(name);
    if (slot === undefined) throw new Error(`wasm function: no local '${name}'`);
    return slot;
  }

  get(name: string): number[] {
    return Op.localGet(this.slot(name));
  }

  /** name = value (the bytes that push it). */
  set(name: string, value: readonly number[]): number[] {
    return [...value, ...Op.localSet(this.slot(name))];
  }

  /** name = the value on the stack, left there. */
  tee(name: string): number[] {
    return Op.localTee(this.slot(name));
  }

  /** name += step (i32). */
  bump(name: string, step: readonly number[]): number[] {
    return this.set(name, [...this.get(name), ...step, ...Op.i32Add]);
  }

  /** for (name = start; name < end (signed); name += step) body. (concat: `body` may be long, see moduleBytes.) */
  for(name: string, start: readonly number[], end: readonly number[], step: readonly number[], body: readonly number[]): number[] {
    return this.set(name, start).concat(
      Op.block, Op.loop,
      this.get(name), end, Op.i32GeS, Op.brIf(1),
      body,
      this.bump(name, step),
      Op.br(0), Op.end, Op.end,
    );
  }

  type(): number[] {
    return [Type.func, ...vector(this.params.map(([, t]) => [t])), ...vector([])];
  }

  /** The body entry of the code section: locals, then `code`. */
  body(code: number[]): number[] {
    const groups = this.locals.map(([, t]) => [...u32(1), t]);
    const bytes = vector(groups).concat(code, Op.end);
    return u32(bytes.length).concat(bytes);
  }
}
