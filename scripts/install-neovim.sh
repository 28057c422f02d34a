#!/usr/bin/env bash
# Installs Debian's Neovim (0.7.2 on Debian 12) for the test that drives it headless against the
# language server (test/lsp/neovim.test.ts). Idempotent: does nothing when `nvim` is on the PATH.
# Needs root (apt-get). See docs/editor.md.
set -euo pipefail
if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-neovim: nvim is missing and this is not root; run as root or apt-get install neovim" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends neovim >/dev/null
nvim --version | head -1
