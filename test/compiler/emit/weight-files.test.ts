import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { writeSafetensors } from '../../../runtime/weights/safetensors.js';
import { f32 } from '../../../runtime/tensor.js';
import { LayerGraph } from '../layer-graph.js';

/** `weight: load(...)`: parameters read from safetensors, npy and json files at compile time. */
function npy(values: number[], shape: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + values.length * 4);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const data = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => data.setFloat32(i * 4, v, true));
  return out;
}

function model(weight: object, bias: object) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 2]);
  const w = g.param('d.weight', [3, 2], weight as never);
  const b = g.param('d.bias', [3], bias as never);
  g.output('y', g.layer('dense', 'd', [x, w, b], { units: 3, activation: null }, ['batch', 3]));
  return g;
}

describe('weights from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnet-weights-'));
  const path = join(dir, 'model.nnet');
  writeFileSync(join(dir, 'w.safetensors'), writeSafetensors(new Map([['w', f32([3, 2], [1, 2, 3, 4, 5, 6])], ['b', f32([3], [7, 8, 9])]])));
  writeFileSync(join(dir, 'w.npy'), npy([6, 5, 4, 3, 2, 1], [3, 2]));
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ bias: [0.5, 0.25, 0.125] }));

  it('reads named safetensors tensors, npy and json, relative to the .nnet file', () => {
    const { weights } = compileGraph(model({ kind: 'file', path: 'w.safetensors', tensor: 'w' }, { kind: 'file', path: 'b.json', tensor: 'bias' }).graph, 'M', null, { target: 'cpu', fuse: true, training: false, path });
    expect([...weights.get('d.weight')!]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...weights.get('d.bias')!]).toEqual([0.5, 0.25, 0.125]);
    const npyWeights = compileGraph(model({ kind: 'file', path: 'w.npy' }, { kind: 'zeros' }).graph, 'M', null, { target: 'cpu', fuse: true, training: false, path }).weights;
    expect([...npyWeights.get('d.weight')!]).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('rejects a missing file, an ambiguous file and a size mismatch with clear messages', () => {
    const compile = (weight: object) => () => compileGraph(model(weight, { kind: 'zeros' }).graph, 'M', null, { target: 'cpu', fuse: true, training: false, path });
    expect(compile({ kind: 'file', path: 'nope.npy' })).toThrow(/'d.weight': cannot read weights file 'nope.npy'/);
    expect(compile({ kind: 'file', path: 'w.safetensors' })).toThrow(/holds 2 tensors; name one/);
    expect(compile({ kind: 'file', path: 'w.safetensors', tensor: 'b' })).toThrow(/has 3 values, the parameter needs 6/);
  });
});
