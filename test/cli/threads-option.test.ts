import { afterEach, describe, expect, it } from 'vitest';
import { cpuThreads, setCpuThreads } from '../../runtime/cpu/threads/thread-count.js';
import { runCli } from './run-cli.js';

/** `--threads N` on run and train, and NNET_THREADS: set the CPU kernels' thread count; bad values are NNR4001. */
const XOR = 'examples/xor.nnet';

describe('--threads and NNET_THREADS', () => {
  afterEach(() => setCpuThreads(null));

  it('run --threads 3 sets the count for the run', async () => {
    const { code, stdout } = await runCli(['run', XOR, '--input', '[[0, 1]]', '--threads', '3']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\{"probability": \[\[/);
    expect(cpuThreads()).toBe(3);
  });

  for (const command of [['run', XOR, '--input', '[[0, 1]]'], ['train', XOR, '--epochs', '1', '--no-checkpoint']]) {
    it(`${command[0]} --threads with a bad value is a usage error naming NNR4001`, async () => {
      for (const bad of ['0', 'four', '2.5', '100']) {
        const { code, stderr } = await runCli([...command, '--threads', bad]);
        expect(code).toBe(2);
        expect(stderr).toContain(`NNR4001: --threads must be a whole number of threads from 1 to 64, not '${bad}'`);
        expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
      }
    });

    it(`${command[0]} with a bad NNET_THREADS reports NNR4001 before doing any work`, async () => {
      const { code, stdout, stderr } = await runCli(command, { env: { NNET_THREADS: 'all' } });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe("error NNR4001: NNET_THREADS must be a whole number of threads from 1 to 64, not 'all'\n");
    });
  }

  it('NNET_THREADS sets the count when there is no flag, and the flag wins over it', async () => {
    expect((await runCli(['run', XOR, '--input', '[[0, 1]]'], { env: { NNET_THREADS: '2' } })).code).toBe(0);
    expect(cpuThreads()).toBe(2);
    expect((await runCli(['run', XOR, '--input', '[[0, 1]]', '--threads', '1'], { env: { NNET_THREADS: '2' } })).code).toBe(0);
    expect(cpuThreads()).toBe(1);
  });
});
