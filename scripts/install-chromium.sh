#!/usr/bin/env bash
# Installs Debian's Chromium for the headless browser test of examples/web (test/runtime/webgpu/
# browser.test.ts), which runs WebGPU on Chromium's SwiftShader. Idempotent: does nothing when
# /usr/bin/chromium exists. Needs root (apt-get). See docs/webgpu.md.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: chromium is missing and this is not root; run as root or apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
