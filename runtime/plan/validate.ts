import { DimError, dimSymbols, evalDim } from './dims.js';
import { checkPlanShapes } from './validate-shapes.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import { PlanError } from './errors.js';
import { PLAN_FORMAT, PLAN_VERSION, type Plan, type PlanStep, type PlanTensor } from './format.js';
import { isEpilogueElement, kernelSpec, parseKernelName, POOL_EPILOGUE, POOL_EPILOGUE_ATTRS, type KernelAttrType, type KernelSpec } from './kernels.js';

/**
 * Validates an untrusted plan document (parsed JSON) against the format and the kernel table.
 * Collects every problem (up to a limit) and throws one PlanError whose message lists them; returns
 * the document typed as a Plan when it is valid. Never evaluates anything from the file: dims are
 * parsed by a small arithmetic parser, kernels are looked up by name in a fixed table.
 */
const ROLES = new Set(['input', 'label', 'param', 'state', 'const', 'activation', 'grad', 'optimizer', 'loss']);
const WRITTEN_BEFORE_RUN = new Set(['input', 'label', 'param', 'state', 'const', 'optimizer']);
const MAX_PROBLEMS = 20;
/** A numeric dim beyond this cannot be allocated by any back end (typed arrays, GPU buffers). */
const MAX_DIM = 2 ** 31 - 1;

interface Problem {
  code: string;
  message: string;
}

export function validatePlan(doc: unknown): Plan {
  const problems: Problem[] = [];
  const report = (code: string, message: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ code, message });
  };
  if (nestsDeeperThan(doc)) throw new PlanError('NNR1016', `the plan nests more than ${MAX_JSON_DEPTH} levels deep; a plan needs a handful`);
  if (!isObject(doc) || doc.format !== PLAN_FORMAT) {
    throw new PlanError('NNR1001', `not an nnet plan: expected a JSON object with "format": "${PLAN_FORMAT}"`);
  }
  if (doc.version !== PLAN_VERSION) {
    throw new PlanError('NNR1002', `plan version ${JSON.stringify(doc.version)} is not supported (this runtime reads version ${PLAN_VERSION})`);
  }
  if (doc.target !== 'cpu' && doc.target !== 'webgpu') report('NNR1003', `"target" must be "cpu" or "webgpu", got ${JSON.stringify(doc.target)}`);
  if (typeof doc.model !== 'string') report('NNR1003', '"model" must be a string');
  for (const key of ['tensors', 'inputs', 'labels', 'outputs', 'forward', 'backward', 'update']) {
    if (!Array.isArray(doc[key])) report('NNR1003', `"${key}" must be an array`);
  }
  if (!isObject(doc.dims)) report('NNR1003', '"dims" must be an object');
  else {
    for (const [name, value] of Object.entries(doc.dims)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) report('NNR1003', `dim name ${JSON.stringify(name)} is not a name`);
      if (value !== null && !(Number.isSafeInteger(value) && (value as number) >= 0)) report('NNR1003', `dim '${name}' must be null or a whole number ≥ 0, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw combined(problems);

  const dims = doc.dims as Record<string, unknown>;
  const tensors = new Map<string, PlanTensor>();
  (doc.tensors as unknown[]).forEach((raw, i) => checkTensor(raw, i, dims, tensors, report));

  const written = new Set<string>();
  for (const t of tensors.values()) if (WRITTEN_BEFORE_RUN.has(t.role)) written.add(t.name);
  for (const phase of ['forward', 'backward', 'update'] as const) {
    (doc[phase] as unknown[]).forEach((raw, i) => checkStep(raw, `${phase} step ${i}`, tensors, written, report));
  }

  checkNames(doc.inputs, 'inputs', tensors, ['input'], report);
  checkNames(doc.labels, 'labels', tensors, ['label'], report);
  (doc.outputs as unknown[]).forEach((o, i) => {
    if (!isObject(o) || typeof o.name !== 'string' || typeof o.tensor !== 'string') report('NNR1011', `outputs[${i}] must be { name, tensor }`);
    else if (!tensors.has(o.tensor)) report('NNR1011', `output '${o.name}' names unknown tensor '${o.tensor}'`);
  });
  if (doc.training !== null && doc.training !== undefined) {
    const training = doc.training;
    if (!isObject(training) || typeof training.loss !== 'string' || !tensors.has(training.loss)) {
      report('NNR1011', `training.loss must name a tensor of the plan`);
    } else if (training.lossSteps !== undefined && (!Number.isInteger(training.lossSteps) || (training.lossSteps as number) > (doc.backward as unknown[]).length)) {
      report('NNR1011', 'training.lossSteps must be an integer no larger than the number of backward steps');
    } else if ((['prediction', 'target'] as const).some((k) => training[k] !== undefined && (typeof training[k] !== 'string' || !tensors.has(training[k])))) {
      report('NNR1011', 'training.prediction and training.target must name tensors of the plan');
    }
  }
  checkMemory(doc.memory, tensors, report);
  checkPrograms(doc, dims, report);
  if (doc.weights !== null && doc.weights !== undefined) {
    const w = doc.weights;
    if (!isObject(w) || (typeof w.file !== 'string' && typeof w.base64 !== 'string')) report('NNR1003', '"weights" must be { file } or { base64 } or null');
  }
  if (problems.length > 0) throw combined(problems);
  // Well formed: now prove the shapes (every step's outputs re-derived from its inputs).
  checkPlanShapes(doc as unknown as Plan, report);
  if (problems.length > 0) throw combined(problems);
  return doc as unknown as Plan;
}

function combined(problems: Problem[]): PlanError {
  const first = problems[0]!;
  const rest = problems.slice(1).map((p) => `\n  ${p.code}: ${p.message}`).join('');
  return new PlanError(first.code, `invalid plan: ${first.message}${rest}`);
}

function checkTensor(raw: unknown, i: number, dims: Record<string, unknown>, tensors: Map<string, PlanTensor>, report: (c: string, m: string) => void): void {
  if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '') return report('NNR1004', `tensors[${i}] needs a non-empty "name"`);
  const name = raw.name;
  if (tensors.has(name)) return report('NNR1004', `tensor '${name}' is declared twice`);
  if (!Array.isArray(raw.shape)) return report('NNR1004', `tensor '${name}' needs a "shape" array`);
  for (const d of raw.shape as unknown[]) {
    if (typeof d === 'number') {
      if (!Number.isInteger(d) || d < 0 || d > MAX_DIM) report('NNR1004', `tensor '${name}' has invalid dim ${d}${d > MAX_DIM ? ` (the most is ${MAX_DIM})` : ''}`);
    } else if (typeof d === 'string') {
      for (const s of dimSymbols(d)) if (!Object.hasOwn(dims, s)) report('NNR1013', `tensor '${name}' uses dim '${s}' that "dims" does not declare`);
      try {
        evalDim(d, Object.fromEntries(dimSymbols(d).map((s) => [s, 1])));
      } catch (error) {
        if (error instanceof DimError) report(error.tooDeep ? 'NNR1016' : 'NNR1013', `tensor '${name}': ${error.message}`);
        else throw error;
      }
    } else report('NNR1004', `tensor '${name}' has a dim that is neither a number nor a string`);
  }
  if (raw.dtype !== 'f32' && raw.dtype !== 'i32') report('NNR1004', `tensor '${name}' has dtype ${JSON.stringify(raw.dtype)} (expected f32 or i32)`);
  if (typeof raw.role !== 'string' || !ROLES.has(raw.role)) report('NNR1004', `tensor '${name}' has unknown role ${JSON.stringify(raw.role)}`);
  if (raw.buffer !== undefined && (!Number.isInteger(raw.buffer) || (raw.buffer as number) < 0)) report('NNR1004', `tensor '${name}' has an invalid buffer index`);
  tensors.set(name, raw as unknown as PlanTensor);
}

function checkStep(raw: unknown, where: string, tensors: Map<string, PlanTensor>, written: Set<string>, report: (c: string, m: string) => void): void {
  if (!isObject(raw) || typeof raw.kernel !== 'string' || !Array.isArray(raw.inputs) || !Array.isArray(raw.outputs) || !isObject(raw.attrs)) {
    return report('NNR1003', `${where} must have kernel, inputs, outputs and attrs`);
  }
  const step = raw as unknown as PlanStep;
  const at = `${where} (${step.kernel}${sourceText(step)})`;
  const { base, epilogue } = parseKernelName(step.kernel);
  const spec = kernelSpec(base);
  if (!spec) return report('NNR1005', `${at}: unknown kernel '${base}'`);
  if (epilogue.length > 0) {
    const problem = epilogueProblem(base, spec, epilogue);
    if (problem) return report('NNR1006', `${at}: ${problem}`);
  }
  const pooled = epilogue.includes(POOL_EPILOGUE);
  const variadic = spec.inputs.some((n) => n.endsWith('...'));
  const wantInputs = spec.inputs.length + (epilogue.includes('bias') ? 1 : 0);
  if (variadic ? step.inputs.length < 1 : step.inputs.length !== wantInputs) {
    report('NNR1007', `${at}: expects ${variadic ? 'at least 1' : wantInputs} inputs, has ${step.inputs.length}`);
  }
  const required = spec.outputs.filter((o) => !o.endsWith('?')).length;
  if (step.outputs.length < required || step.outputs.length > spec.outputs.length) {
    report('NNR1007', `${at}: expects ${required === spec.outputs.length ? required : `${required}–${spec.outputs.length}`} outputs, has ${step.outputs.length}`);
  } else if (pooled && step.outputs.length > required) {
    report('NNR1007', `${at}: a pooled step writes only its pooled y, no pre-activation (has ${step.outputs.length} outputs)`);
  }
  if (spec.inPlace && base.endsWith('_update')) {
    // Optimizer updates write the parameter and its slots in place: outputs must name exactly those.
    const expected = [step.inputs[0], ...step.inputs.slice(2)];
    if (step.outputs.length !== expected.length || step.outputs.some((o, i) => o !== expected[i])) {
      report('NNR1007', `${at}: an in-place update's outputs must be its parameter and slots (${expected.join(', ')})`);
    }
  }
  const attrSpecs: Record<string, { type: KernelAttrType; optional?: boolean }> = { ...spec.attrs };
  for (const element of epilogue) {
    if (element === POOL_EPILOGUE) Object.assign(attrSpecs, POOL_EPILOGUE_ATTRS);
    else if (element !== 'bias') Object.assign(attrSpecs, kernelSpec(element)!.attrs);
  }
  for (const [key, attr] of Object.entries(attrSpecs)) {
    const value = step.attrs[key];
    if (value === undefined) {
      if (!attr.optional) report('NNR1008', `${at}: attribute '${key}' is missing`);
    } else if (!attrMatches(value, attr.type)) {
      report('NNR1008', `${at}: attribute '${key}' must be ${attr.type}, got ${JSON.stringify(value)}`);
    }
  }
  const pool = step.attrs.pool;
  if (pooled && Array.isArray(pool) && pool.every((p) => Number.isInteger(p)) && !(pool.length === 2 && pool.every((p) => (p as number) >= 1))) {
    report('NNR1008', `${at}: attribute 'pool' must be two window sizes ≥ 1 [ph, pw], got ${JSON.stringify(pool)}`);
  }
  for (const name of step.inputs) {
    if (typeof name !== 'string' || !tensors.has(name)) report('NNR1009', `${at}: input '${String(name)}' is not a declared tensor`);
    else if (!written.has(name)) report('NNR1010', `${at}: reads '${name}' before any step writes it`);
  }
  for (const name of step.outputs) {
    if (typeof name !== 'string' || !tensors.has(name)) report('NNR1009', `${at}: output '${String(name)}' is not a declared tensor`);
    else written.add(name);
  }
}

/**
 * What is wrong with a fused step's epilogue elements, or null: they must read
 * [bias][+activation][+maxpool] in that order, on a kernel that takes them (kernels.ts).
 */
function epilogueProblem(base: string, spec: KernelSpec, epilogue: readonly string[]): string | null {
  if (!spec.epilogue) return `'${base}' takes no fused epilogue`;
  const bad = epilogue.find((e) => !isEpilogueElement(e));
  if (bad) return `'${bad}' is not an epilogue element (bias, an activation or ${POOL_EPILOGUE})`;
  let next = 0;
  if (epilogue[next] === 'bias') next++;
  if (next < epilogue.length && kernelSpec(epilogue[next]!)?.activation) next++;
  if (epilogue[next] === POOL_EPILOGUE) {
    if (!spec.poolEpilogue) return `'${base}' takes no ${POOL_EPILOGUE} epilogue (only a 2-D convolution pools its output)`;
    next++;
  }
  return next === epilogue.length ? null : `the epilogue must be [bias][+activation][+${POOL_EPILOGUE}]`;
}

function attrMatches(value: unknown, type: KernelAttrType): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int':
      return Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'int[]':
      return Array.isArray(value) && value.every((v) => Number.isInteger(v));
    case 'number[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'dims':
      return Array.isArray(value) && value.every((v) => Number.isInteger(v) || typeof v === 'string');
    case 'dim':
      return Number.isInteger(value) || typeof value === 'string';
  }
}

function checkNames(raw: unknown, field: string, tensors: Map<string, PlanTensor>, roles: string[], report: (c: string, m: string) => void): void {
  for (const name of raw as unknown[]) {
    const t = typeof name === 'string' ? tensors.get(name) : undefined;
    if (!t) report('NNR1011', `${field} names unknown tensor '${String(name)}'`);
    else if (!roles.includes(t.role)) report('NNR1011', `${field} names '${t.name}', whose role is ${t.role}`);
  }
}

function checkMemory(raw: unknown, tensors: Map<string, PlanTensor>, report: (c: string, m: string) => void): void {
  if (raw === null || raw === undefined) return;
  if (!isObject(raw) || !Array.isArray(raw.bufferBytes) || typeof raw.peakBytes !== 'number') return report('NNR1012', '"memory" must have bufferBytes and peakBytes');
  const slots = raw.bufferBytes.length;
  for (const t of tensors.values()) {
    if (t.buffer !== undefined && t.buffer >= slots) report('NNR1012', `tensor '${t.name}' uses buffer ${t.buffer}, but the memory plan has ${slots}`);
    if (t.buffer !== undefined && WRITTEN_BEFORE_RUN.has(t.role)) report('NNR1012', `tensor '${t.name}' (${t.role}) must not share a pooled buffer`);
  }
}

/** WebGPU plans: every step's `program` names an entry of `programs`, and each entry is well formed. */
function checkPrograms(doc: Record<string, unknown>, dims: Record<string, unknown>, report: (c: string, m: string) => void): void {
  const programs = doc.programs ?? {};
  if (!isObject(programs)) return report('NNR1014', '"programs" must be an object');
  for (const [key, raw] of Object.entries(programs)) {
    if (!isObject(raw) || typeof raw.code !== 'string' || typeof raw.entryPoint !== 'string') {
      report('NNR1014', `program '${key}' needs code and entryPoint strings`);
      continue;
    }
    const size = raw.workgroupSize;
    if (!Array.isArray(size) || size.length !== 3 || !size.every((d) => Number.isInteger(d) && d >= 1)) report('NNR1014', `program '${key}' needs a workgroupSize of three positive integers`);
    const dispatch = raw.dispatch;
    if (!Array.isArray(dispatch) || dispatch.length !== 3) {
      report('NNR1014', `program '${key}' needs a dispatch of three dims`);
      continue;
    }
    for (const d of dispatch as unknown[]) {
      if (typeof d === 'number' ? !Number.isInteger(d) || d < 0 : typeof d !== 'string') report('NNR1014', `program '${key}' has an invalid dispatch dim ${JSON.stringify(d)}`);
      else if (typeof d === 'string') {
        for (const sym of dimSymbols(d)) if (!Object.hasOwn(dims, sym)) report('NNR1013', `program '${key}' dispatch uses dim '${sym}' that "dims" does not declare`);
      }
    }
  }
  for (const phase of ['forward', 'backward', 'update'] as const) {
    (doc[phase] as unknown[]).forEach((raw, i) => {
      const program = isObject(raw) ? raw.program : undefined;
      if (program !== undefined && (typeof program !== 'string' || !Object.hasOwn(programs, program))) {
        report('NNR1014', `${phase} step ${i} names program ${JSON.stringify(program)}, which "programs" does not hold`);
      }
    });
  }
}

function sourceText(step: PlanStep): string {
  const s = step.source;
  return s && typeof s.layer === 'string' ? `, ${s.op} '${s.layer}' at ${s.line}:${s.column}` : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
