#!/usr/bin/env bash
# Installs the official ONNX checker (Debian's python3-onnx, ONNX 1.12: opsets up to 17) that the
# test suite runs over every exported file (onnx.checker.check_model(model, full_check=True)).
# Idempotent: does nothing when a python3 on this machine already imports onnx. A python3 on PATH
# (pyenv, a virtualenv) may lack it while Debian's /usr/bin/python3 has it: the tests look in both.
# Needs root (apt-get). See docs/export.md.
set -euo pipefail

has_onnx() {
  "$1" -c 'import onnx' >/dev/null 2>&1
}

for python in python3 /usr/bin/python3; do
  if command -v "$python" >/dev/null 2>&1 && has_onnx "$python"; then
    echo "install-onnx: $("$python" -c 'import onnx, sys; print(sys.executable, "has onnx", onnx.__version__)')"
    exit 0
  fi
done

if [ "$(id -u)" -ne 0 ]; then
  echo "install-onnx: no python3 with the onnx module found and not root; run as root (apt-get) or install Debian's python3-onnx yourself" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3-onnx >/dev/null

if has_onnx /usr/bin/python3; then
  exit 0
fi
echo "install-onnx: python3-onnx is installed but /usr/bin/python3 cannot import onnx" >&2
exit 1
