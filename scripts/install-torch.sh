#!/usr/bin/env bash
# Installs PyTorch for the tests of `nnet export --format pytorch` (test/compiler/pytorch/): Debian's
# python3-torch (1.13, CPU) and python3-numpy. Idempotent: does nothing when a Python already imports
# torch and numpy. A python3 on PATH without torch (pyenv, a venv) may shadow Debian's /usr/bin/python3;
# the tests look for the interpreter that has torch ($NNET_PYTHON, python3, /usr/bin/python3, python).
# Needs root (apt-get). See docs/export.md.
set -euo pipefail

has_torch() {
  for python in "${NNET_PYTHON:-}" python3 /usr/bin/python3 python; do
    [ -n "$python" ] || continue
    if "$python" -c 'import torch, numpy; print("PyTorch " + torch.__version__ + " in " + __import__("sys").executable)' 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

if has_torch; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-torch: no Python with torch found and not root; run as root (apt-get install python3-torch python3-numpy) or set NNET_PYTHON" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3-torch python3-numpy >/dev/null

if has_torch; then
  exit 0
fi
echo "install-torch: python3-torch is installed but no Python imports it" >&2
exit 1
