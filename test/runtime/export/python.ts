import { spawnSync } from 'node:child_process';

/**
 * The first Python interpreter on this machine that imports `module`: `$NNET_PYTHON`, the python3 on
 * PATH, then Debian's /usr/bin/python3. A python3 on PATH (pyenv, a virtualenv) often lacks the
 * Debian packages (python3-onnx, python3-torch) that /usr/bin/python3 has. Undefined when none does.
 */
export function pythonWith(module: string): string | undefined {
  const candidates = [process.env.NNET_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  return candidates.find((python) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 }).status === 0);
}
