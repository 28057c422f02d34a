import { poolStats } from '../runtime/cpu/threads/pool.js';
import type { EditorView } from '@codemirror/view';
import type { Diagnostic } from '../diagnostics/types.js';
import { LineMap } from '../diagnostics/line-map.js';
import type { EpochRecord } from '../runtime/train/history.js';
import type { ProgressReporter } from '../runtime/train/reporter.js';
import { drawCurve, type CurvePoint } from './chart.js';
import { checkText, SOURCE_PATH } from './check.js';
import { createEditor, formatEditor } from './editor.js';
import { EXAMPLES } from './examples.js';
import { DrawingPad } from './pad.js';
import { classify, compileAndTrain, findBackend, type Backend, type Session } from './session.js';

/**
 * The playground page: an editor on the real front end, the examples, compile and train in the page
 * on its WebGPU adapter (the CPU runtime without one) with a live curve, and a pad to draw a digit
 * for the trained model. `window.nnetPlayground` mirrors the state for the browser test.
 */
interface PageState {
  backend: string | null;
  diagnostics: string[];
  training: 'idle' | 'running' | 'done' | 'failed';
  history: EpochRecord[];
  testAccuracy: number | null;
  prediction: { digit: number; probabilities: number[] } | null;
  error: string | null;
  /** Jobs the CPU runtime has handed to worker threads (runtime/cpu/threads/pool.ts). */
  cpuWorkerJobs: number;
}
const state: PageState = { backend: null, diagnostics: [], training: 'idle', history: [], testAccuracy: null, prediction: null, error: null, cpuWorkerJobs: 0 };
(window as unknown as { nnetPlayground: PageState }).nnetPlayground = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const picker = $<HTMLSelectElement>('example');
const problems = $<HTMLUListElement>('problems');
const status = $<HTMLParagraphElement>('train-status');
const curve = $<HTMLCanvasElement>('curve');
const epochsInput = $<HTMLInputElement>('epochs');
const samplesInput = $<HTMLInputElement>('samples');

for (const name of Object.keys(EXAMPLES)) picker.add(new Option(name, name));
picker.value = params.get('example') ?? 'digits-mlp';
if (params.has('samples')) samplesInput.value = params.get('samples')!;
if (params.has('epochs')) epochsInput.value = params.get('epochs')!;

const editor: EditorView = createEditor($('editor'), EXAMPLES[picker.value] ?? '', showProblems);
picker.addEventListener('change', () => {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: EXAMPLES[picker.value] ?? '' } });
  epochsInput.value = '1';
});
$('format').addEventListener('click', async () => {
  const error = await formatEditor(editor);
  if (error) status.textContent = `not formatted: ${error}`;
});

/** The diagnostics under the editor, as `nnet check` prints their first line. */
function showProblems(diagnostics: Diagnostic[], text: string): void {
  const lines = new LineMap(text);
  const items = diagnostics.map((d) => {
    const at = lines.lineColumn(d.range.start);
    const li = document.createElement('li');
    li.className = d.severity;
    li.textContent = `${SOURCE_PATH}:${at.line}:${at.column}: ${d.severity} ${d.code}: ${d.message}`;
    li.addEventListener('click', () => {
      editor.dispatch({ selection: { anchor: Math.min(d.range.start, editor.state.doc.length) }, scrollIntoView: true });
      editor.focus();
    });
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.textContent = 'no problems';
    items.push(li);
  }
  problems.replaceChildren(...items);
  state.diagnostics = items.map((li) => li.textContent ?? '');
  const models = checkText(text).result.models;
  const train = models[models.length - 1]?.train;
  $('epochs-hint').textContent = train ? `(the train section says ${train.epochs})` : '';
}

const backend: Promise<Backend> = findBackend(params.get('runtime') === 'cpu').then((b) => {
  $('backend').textContent = `runtime: ${b.description}`;
  state.backend = b.description;
  return b;
});

let session: Session | null = null;
const trainButton = $<HTMLButtonElement>('train');
trainButton.addEventListener('click', () => void train());

async function train(): Promise<void> {
  trainButton.disabled = true;
  session?.executor.dispose();
  session = null;
  Object.assign(state, { training: 'running', history: [], testAccuracy: null, prediction: null, error: null });
  const points: CurvePoint[] = [];
  let totalSteps = 0;
  let stepsBefore = 0;
  let lastDraw = 0;
  const reporter: ProgressReporter = {
    epochStart(epoch, epochs, batches) {
      totalSteps = epochs * batches;
      stepsBefore = (epoch - 1) * batches;
      status.textContent = `epoch ${epoch}/${epochs}…`;
    },
    batchEnd(batch, running) {
      points.push({ step: stepsBefore + batch, loss: running.loss, ...(running.accuracy !== undefined ? { accuracy: running.accuracy } : {}) });
      if (performance.now() - lastDraw > 100) {
        drawCurve(curve, points, totalSteps);
        lastDraw = performance.now();
        status.textContent = `epoch ${Math.floor(stepsBefore / Math.max(1, totalSteps)) + 1}: step ${stepsBefore + batch}/${totalSteps}, loss ${running.loss.toFixed(4)}${running.accuracy !== undefined ? `, accuracy ${(running.accuracy * 100).toFixed(1)}%` : ''}`;
      }
    },
    epochEnd(record) {
      state.history.push(record);
    },
    message(text) {
      status.textContent = text;
    },
    close() {},
  };
  try {
    const text = editor.state.doc.toString();
    const { result } = checkText(text);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`${errors.length} error${errors.length === 1 ? '' : 's'} in the source: fix ${errors.length === 1 ? 'it' : 'them'} first`);
    const epochs = Number(epochsInput.value) || undefined;
    const samples = Number(samplesInput.value) || undefined;
    const trained = await compileAndTrain(result, text, await backend, { ...(epochs ? { epochs } : {}), ...(samples ? { samples } : {}) }, reporter);
    session = trained.session;
    drawCurve(curve, points, totalSteps);
    const last = trained.report.history[trained.report.history.length - 1];
    const figures = trained.test?.accuracy !== undefined ? `test accuracy ${(trained.test.accuracy * 100).toFixed(2)}%` : trained.test ? `test loss ${trained.test.loss.toPrecision(4)}` : 'no test set';
    status.textContent =
      `trained ${session.plan.model} on ${session.source} (${session.data.train.length} samples, ${trained.report.history.length} epoch${trained.report.history.length === 1 ? '' : 's'}) ` +
      `in ${trained.report.seconds.toFixed(1)} s: loss ${last?.loss.toFixed(4)}, ${figures} (${session.data.test?.length ?? 0} test samples)`;
    state.testAccuracy = trained.test?.accuracy ?? null;
    state.cpuWorkerJobs = poolStats().jobs;
    state.training = 'done';
    $('prediction').textContent = session.source === 'digits' ? 'Draw a digit.' : 'The pad classifies 28×28 digits: train a digits model.';
  } catch (error) {
    state.training = 'failed';
    state.error = (error as Error).message;
    status.textContent = `failed: ${(error as Error).message}`;
  } finally {
    trainButton.disabled = false;
  }
}

const pad = new DrawingPad($('pad'), () => void predict());
$('clear').addEventListener('click', () => {
  pad.clear();
  state.prediction = null;
  $('probabilities').replaceChildren();
});

async function predict(): Promise<void> {
  const image = pad.image();
  if (!session || session.source !== 'digits' || !image) return;
  try {
    const probabilities = await classify(session, image);
    const digit = probabilities.indexOf(Math.max(...probabilities));
    state.prediction = { digit, probabilities };
    $('prediction').textContent = `prediction: ${digit} (${(probabilities[digit]! * 100).toFixed(1)}%)`;
    $('probabilities').replaceChildren(
      ...probabilities.map((p, d) => {
        const row = document.createElement('tr');
        if (d === digit) row.className = 'top';
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = `${Math.round(p * 120)}px`;
        row.append(cell(String(d)), cell(`${(p * 100).toFixed(1)}%`), cell(bar));
        return row;
      }),
    );
  } catch (error) {
    $('prediction').textContent = `cannot classify: ${(error as Error).message}`;
  }
}

function cell(content: string | HTMLElement): HTMLTableCellElement {
  const td = document.createElement('td');
  td.append(content);
  return td;
}
