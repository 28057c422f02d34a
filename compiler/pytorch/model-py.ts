import type { CheckedModel } from '../api-types.js';
import type { IRNode, ParamInfo } from '../ir/graph.js';
import type { Dim } from '../ir/types.js';
import { findOp } from '../ops/registry.js';
import { pyOpFor, PytorchExportError, type PyOpContext } from './ops.js';
import { LAYERS_PY } from './python/layers.js';
import { TRAIN_LOOP_PY } from './python/loop.js';

/**
 * One model's nn.Module class for model.py. Every layer is a submodule named after its nnet layer
 * (the prefix of its parameters' names: `logits/dense`, so `state_dict()` keys are nnet's weight
 * names and nnet's safetensors load unchanged; layers without parameters take their layer name),
 * which keeps forward hooks traceable to nnet's layers (`LAYERS` maps each to its op and line).
 */
export interface ModuleNames {
  /** Node id → its submodule's name (layer nodes) or its Python variable (inputs). */
  keyOf: Map<number, string>;
  /** The Python argument of each non-label input, by input name. */
  argOf: Map<string, string>;
}

export interface ModelSource {
  className: string;
  text: string;
  names: ModuleNames;
}

const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self values m named'.split(' '),
);

/**
 * The names model.py's layer library and train.py's loop define at their top level (imports,
 * functions, classes, constants; MODELS), read from their own text: a model class named `F` or
 * `Dense` would shadow them.
 */
const LIBRARY_NAMES = new Set(
  [...`${LAYERS_PY}\n${TRAIN_LOOP_PY}\nMODELS = {}`.matchAll(/^(?:def|class)\s+(\w+)|^import\s+[\w.]+\s+as\s+(\w+)|^import\s+(\w+)|^from\s+\S+\s+import\s+(\w+)|^(\w+)\s*=/gm)]
    .map((m) => m.slice(1).find((g) => g !== undefined))
    .filter((g): g is string => g !== undefined),
);

function pythonIdentifier(name: string, fallback: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name) && !LIBRARY_NAMES.has(name) && !/^(v\d+|dim_\w*)$/.test(name)
    ? name
    : fallback;
}

/** `where(node)` says `line:col` of a node's source, for LAYERS and error messages. */
export function modelClass(model: CheckedModel, where: (node: IRNode) => string, sourceFile: string): ModelSource {
  const { graph } = model;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const paramOf = new Map<number, ParamInfo>(graph.params.map((p) => [p.node, p]));
  const className = pythonIdentifier(model.name, `Model_${model.name.replace(/\W/g, '_')}`);
  const inputs = graph.inputs.filter((i) => !i.labelOnly);
  const argOf = new Map(inputs.map((i, k) => [i.name, pythonIdentifier(i.name, `input_${k}`)]));
  const keyOf = new Map<number, string>();
  for (const input of graph.inputs) keyOf.set(input.node, argOf.get(input.name) ?? input.name);
  const layers = graph.nodes.filter((n) => n.op !== 'input' && n.op !== 'param');
  const fail = (node: IRNode, message: string): never => {
    throw new PytorchExportError(`${model.name}: layer '${node.origin.layer}' (${node.op}, ${sourceFile}:${where(node)}): ${message}`, true);
  };

  // Names: layers with parameters take their parameters' prefix first, then the others their layer name.
  const used = new Set<string>();
  // A later use of a shared block's layer calls the first use's module (the one holding its
  // parameters) and keeps a value name of its own: submodule of the value's name → the module it calls.
  const moduleOf = new Map<number, string>();
  const firstWith = new Map<string, { op: string; params: string }>();
  // tied(w, transpose: true) reads a parameter through a transpose node (compiler/check/apply-op.ts):
  // that node gets no module; the layer reading it ties its weight to the parameter, transposed.
  const transposedOf = new Map<number, string>();
  for (const node of layers) {
    const param = node.op === 'transpose' ? paramOf.get(node.inputs[0]!) : undefined;
    if (param) transposedOf.set(node.id, param.name);
  }
  const TRANSPOSED = '^T';
  const weightName = (id: number): string | undefined => paramOf.get(id)?.name ?? (transposedOf.has(id) ? `${transposedOf.get(id)!}${TRANSPOSED}` : undefined);
  const isWeight = (id: number): boolean => weightName(id) !== undefined;
  // A tied weight (`weight: tied(emb)`) is a parameter of an earlier layer read by this one: its
  // module gets that very Parameter under its own role (`self.logits.weight = self.emb.table`), as
  // PyTorch users tie weights; state_dict() then lists it under both names, and TIED says which.
  // A transposed tie reads it as a transpose at every call (tie_transposed, python/layers.ts).
  const ties: Array<{ node: IRNode; role: string; source: string; transpose: boolean }> = [];
  for (const node of layers) {
    if (transposedOf.has(node.id)) continue;
    const params = node.inputs.filter(isWeight).map((i) => weightName(i)!);
    if (params.length === 0) continue;
    const prefixOf = (p: string): string => p.slice(0, p.lastIndexOf('.'));
    const first = firstWith.get(prefixOf(params[0]!));
    if (first && first.op === node.op && first.params === params.join(',')) {
      moduleOf.set(node.id, prefixOf(params[0]!));
      continue;
    }
    const own = params.filter((p) => !used.has(prefixOf(p)));
    const prefixes = new Set(own.map(prefixOf));
    if (prefixes.size > 1) fail(node, `its parameters (${params.join(', ')}) are named apart; that has no PyTorch export yet`);
    if (own.length < params.length) {
      ties.push(...tiedRoles(node, params, own).map(({ role, source }) => ({ node, role, source: source.replace(TRANSPOSED, ''), transpose: source.endsWith(TRANSPOSED) })));
    }
    if (own.length === 0) continue; // every weight tied: the module is named after its layer, below
    const prefix = [...prefixes][0]!;
    firstWith.set(prefix, { op: node.op, params: params.join(',') });
    if (prefix.includes('.') || prefix === '') fail(node, `its parameter prefix '${prefix}' cannot name a PyTorch module`);
    used.add(prefix);
    keyOf.set(node.id, prefix);
  }

  /** The role (the module attribute) of each tied parameter: the op's weights in order, own ones matched by name. */
  function tiedRoles(node: IRNode, params: string[], own: string[]): Array<{ role: string; source: string }> {
    const roles = findOp(node.op)?.params.filter((p) => p.kind === 'weight').map((p) => p.name) ?? [];
    const result: Array<{ role: string; source: string }> = [];
    let next = 0;
    for (const param of params) {
      const ownRole = own.includes(param) ? param.slice(param.lastIndexOf('.') + 1) : null;
      const at = ownRole === null ? next : roles.indexOf(ownRole, next);
      if (at < 0 || at >= roles.length) fail(node, `its tied weight ${param} has no place among ${node.op}'s weights`);
      if (ownRole === null) result.push({ role: roles[at]!, source: param });
      next = at + 1;
    }
    return result;
  }
  for (const node of layers) {
    if (keyOf.has(node.id) || transposedOf.has(node.id)) continue;
    const base = (node.origin.layer || node.op).replace(/\./g, '_');
    let name = base;
    for (let k = 2; used.has(name) || argOf.has(name); k++) name = `${base}#${k}`;
    used.add(name);
    keyOf.set(node.id, name);
  }

  // Symbolic dims bound from the inputs' shapes (`dim_batch = image.shape[0]`).
  const bound = new Map<string, string>();
  for (const input of inputs) {
    byId.get(input.node)!.type.shape.forEach((d, axis) => {
      if (typeof d === 'string' && /^[A-Za-z_]\w*$/.test(d) && !bound.has(d)) bound.set(d, `${argOf.get(input.name)}.shape[${axis}]`);
    });
  }
  const dimVar = (d: string): string => `dim_${d}`;

  const init: string[] = [];
  const body: string[] = [];
  const layerTable: string[] = [];
  for (const node of layers) {
    if (node.op === 'const') fail(node, 'constants have no PyTorch export yet');
    if (transposedOf.has(node.id)) continue;
    const tensorInputs = node.inputs.filter((i) => !isWeight(i));
    let unbound = 0;
    const paramNames = node.inputs.flatMap((i) => {
      const name = weightName(i)?.replace(TRANSPOSED, '');
      if (name === undefined) return [];
      return [ties.find((t) => t.node === node && t.source === name)?.role ?? name.slice(name.lastIndexOf('.') + 1)];
    });
    const ctx: PyOpContext = {
      node,
      inputs: tensorInputs.map((i) => byId.get(i)!.type),
      hasBias: paramNames.includes('bias'),
      paramNames,
      dim: (d: Dim) => {
        if (typeof d === 'number') return String(d);
        const expr = dimExpression(d, bound, dimVar);
        if (expr !== null) return expr;
        if (node.op !== 'reshape' || ++unbound > 1) fail(node, `the dim '${d}' is not bound by an input's shape; no PyTorch export yet`);
        return '-1';
      },
    };
    let op;
    try {
      op = pyOpFor(node);
      const key = keyOf.get(node.id)!;
      const module = moduleOf.get(node.id) ?? key;
      // Straight into _modules, not add_module: a layer may be named like a Module attribute
      // (`half`, `float`, `eval`), which add_module refuses; forward reads `self._modules` by key.
      if (module === key) init.push(`        self._modules[${JSON.stringify(key)}] = ${op.module(ctx)}`);
      const args = [...tensorInputs.map((i) => valueOf(i)), ...(op.callArgs?.(ctx) ?? [])];
      body.push(`        v${node.id} = m[${JSON.stringify(module)}](${args.join(', ')})`);
      layerTable.push(`        ${JSON.stringify(key)}: (${JSON.stringify(node.origin.layer)}, ${JSON.stringify(node.op)}, ${JSON.stringify(where(node))}),`);
    } catch (err) {
      if (err instanceof PytorchExportError && !err.located) fail(node, err.message);
      throw err;
    }
  }
  function valueOf(id: number): string {
    const node = byId.get(id)!;
    if (node.op === 'input') return keyOf.get(id)!;
    return `v${id}`;
  }

  // After every module exists: the tying module's attribute becomes the owner's Parameter.
  const tiedKeys: Array<[string, string]> = [];
  const transposedKeys: Array<[string, string]> = [];
  for (const { node, role, source, transpose } of ties) {
    const owner = source.slice(0, source.lastIndexOf('.'));
    const attribute = source.slice(source.lastIndexOf('.') + 1);
    const [tying, ownerModule] = [JSON.stringify(keyOf.get(node.id)!), JSON.stringify(owner)];
    if (transpose) {
      init.push(`        tie_transposed(self._modules[${tying}], ${JSON.stringify(role)}, self._modules[${ownerModule}], ${JSON.stringify(attribute)})`);
      transposedKeys.push([`${keyOf.get(node.id)!}.${role}`, source]);
    } else {
      init.push(`        setattr(self._modules[${tying}], ${JSON.stringify(role)}, getattr(self._modules[${ownerModule}], ${JSON.stringify(attribute)}))`);
      tiedKeys.push([`${keyOf.get(node.id)!}.${role}`, source]);
    }
  }

  const frozen = graph.params.filter((p) => !p.trainable && !isBuffer(p.name)).map((p) => p.name);
  const dimLines = [...bound].map(([d, expr]) => `        ${dimVar(d)} = ${expr}`);
  const outputs = graph.outputs.map((o) => `${JSON.stringify(o.name)}: ${valueOf(o.node)}`);
  const named = layers.filter((n) => !transposedOf.has(n.id)).map((n) => `${JSON.stringify(keyOf.get(n.id)!)}: v${n.id}`);
  const inputDoc = inputs.map((i) => `${i.name} ${shapeText(byId.get(i.node)!)}`).join(', ');
  const outputDoc = graph.outputs.map((o) => `${o.name} ${shapeText(byId.get(o.node)!)}`).join(', ');
  const args = inputs.map((i) => argOf.get(i.name)!);
  const text = `class ${className}(nn.Module):
    """nnet model ${model.name} (${sourceFile}). Inputs: ${inputDoc}. Outputs: ${outputDoc}.
    forward(${args.join(', ')}, values=()) returns the outputs by name, and the value of every layer
    named in \`values\` (a key of LAYERS). state_dict() keys are nnet's weight names."""

    INPUTS = ${py(inputs.map((i) => i.name))}
    # tied weights: state_dict() key of the tying layer → the weight it reads (one Parameter, saved once)
    TIED = {${tiedKeys.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}
    # transposed ties (tied(..., transpose: true)): the tying layer's weight → the weight it reads transposed (not in state_dict())
    TIED_TRANSPOSED = {${transposedKeys.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}
    OUTPUTS = ${py(graph.outputs.map((o) => o.name))}
    # value name (the submodule that computes it, or for a shared block's later use a name of its own): (nnet layer, op, line:col in ${sourceFile})
    LAYERS = {
${layerTable.join('\n')}
    }

    def __init__(self):
        super().__init__()
${init.join('\n') || '        pass'}
${frozen.length > 0 ? `        for name, p in self.named_parameters():\n            if name in ${py(frozen)}:\n                p.requires_grad_(False)\n` : ''}
    def forward(self, ${[...args, 'values=()'].join(', ')}):
        m = self._modules
${[...dimLines, ...body].join('\n')}
        named = {${named.join(', ')}}
        return {${outputs.join(', ')}, **{k: named[k] for k in values}}

    @classmethod
    def from_safetensors(cls, path):
        """The model with nnet's weights (\`nnet train --out\`, \`initial.safetensors\`)."""
        return load_nnet_weights(cls(), path)
`;
  return { className, text, names: { keyOf, argOf } };
}

/**
 * A symbolic dim (\`seq\`, \`seq-1\`, \`floor((seq-3)/2)+1\`, compiler/shapes/dims.ts) as a Python
 * expression of the forward's bound dims, or null when it names a dim no input binds.
 */
function dimExpression(d: string, bound: ReadonlyMap<string, string>, dimVar: (d: string) => string): string | null {
  if (!/^[\w\s+\-*/().]*$/.test(d)) return null;
  let ok = true;
  const text = d.replace(/[A-Za-z_]\w*/g, (name) => {
    if (name === 'floor' || name === 'ceil') return `math.${name}`;
    if (!bound.has(name)) ok = false;
    return dimVar(name);
  });
  return ok ? `int(${text})` : null;
}

/** Batchnorm's running statistics are module buffers in model.py, not parameters. */
function isBuffer(name: string): boolean {
  return /\.running_(mean|var)$/.test(name);
}

function shapeText(node: IRNode): string {
  return `[${node.type.shape.join(', ')}]${node.type.dtype === 'i32' ? ' int' : ''}`;
}

function py(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}
