import { execFileSync } from 'node:child_process';

/**
 * The Python interpreter that has torch, for the PyTorch export's tests: $NNET_PYTHON, else the
 * first of python3, /usr/bin/python3 and python that imports torch (a pyenv or venv python3 on PATH
 * without torch may shadow Debian's python3-torch, which scripts/install-torch.sh installs).
 */
export interface TorchPython {
  python: string | null;
  /** Why there is none, for the skip message. */
  reason: string;
}

export function findTorchPython(): TorchPython {
  const candidates = [process.env.NNET_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const python of candidates) {
    try {
      const version = execFileSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
      return { python, reason: `${python} has torch ${version}` };
    } catch {
      tried.push(python);
    }
  }
  return { python: null, reason: `no Python with torch and numpy (tried ${tried.join(', ')}; run scripts/install-torch.sh or set NNET_PYTHON)` };
}
