import { ARGS_BYTE, JOB_WORD, MAIL_WORD, READY_WORD, SLOT_WORD, Word, WORKER_SPINS } from './control-block.js';

/**
 * What a pool worker runs, as source text: the same text starts a Node worker_thread (`eval: true`)
 * and a browser Worker (from a Blob URL), so no worker file has to be found next to the built or
 * bundled code, and it imports nothing. It instantiates the kernel modules it is sent over their
 * shared memory, then waits on the control block (control-block.ts) for jobs.
 *
 * Between jobs it spins a while, then sleeps in Atomics.wait (a worker may block; see control-block.ts
 * for the SLEEPERS handshake); it returns to its event loop only to
 * read messages, which the caller announces in MAIL. A failing call is counted in FAILED, never left
 * unanswered, so the caller never waits forever.
 */
export const WORKER_SOURCE = `
'use strict';
const W = ${JSON.stringify(Word)};
const JOB = ${JOB_WORD}, SLOT = ${SLOT_WORD}, MAIL = ${MAIL_WORD}, READY = ${READY_WORD}, ARGS_BYTE = ${ARGS_BYTE}, SPINS = ${WORKER_SPINS};
const port = typeof self === 'object' && typeof self.postMessage === 'function' ? self : require('node:worker_threads').parentPort;
let ctrl = null, args = null, me = -1, received = 0, seen = 0;
const modules = [];
const call = [];

function runJob() {
  const parts = ctrl[W.PARTS];
  const slot = ctrl[SLOT + me];
  try {
    const tiles = ctrl[W.TILES];
    const fn = modules[ctrl[W.MODULE]][ctrl[W.FUNCTION]];
    const count = ctrl[W.ARG_COUNT];
    call.length = count + 2;
    for (let i = 0; i < count; i++) call[i] = args[i];
    call[count] = Math.floor((slot * tiles) / parts);
    call[count + 1] = Math.floor(((slot + 1) * tiles) / parts);
    fn.apply(null, call);
  } catch (err) {
    Atomics.add(ctrl, W.FAILED, 1);
  }
  Atomics.add(ctrl, W.DONE, 1);
  Atomics.notify(ctrl, W.DONE);
}

function loop() {
  for (;;) {
    if (Atomics.load(ctrl, MAIL + me) !== received) return;
    let generation = Atomics.load(ctrl, W.GENERATION);
    for (let i = 0; i < SPINS && generation === seen; i++) generation = Atomics.load(ctrl, W.GENERATION);
    if (generation === seen) {
      Atomics.add(ctrl, W.SLEEPERS, 1);
      Atomics.wait(ctrl, W.GENERATION, generation);
      Atomics.sub(ctrl, W.SLEEPERS, 1);
      continue;
    }
    seen = generation;
    if (Atomics.load(ctrl, JOB + me) === generation) runJob();
  }
}

function onMessage(message) {
  if (message.kind === 'init') {
    ctrl = new Int32Array(message.control);
    args = new Float64Array(message.control, ARGS_BYTE);
    me = message.index;
    seen = Atomics.load(ctrl, W.GENERATION);
  } else {
    received += 1;
    const instance = new WebAssembly.Instance(message.module, { env: { memory: message.memory } });
    modules[message.id] = message.functions.map((name) => instance.exports[name]);
    Atomics.or(ctrl, READY + message.id, 1 << me);
  }
  loop();
}

if (typeof port.on === 'function') port.on('message', onMessage);
else port.onmessage = (event) => onMessage(event.data);
`;
