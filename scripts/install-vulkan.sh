#!/usr/bin/env bash
# Installs a software Vulkan driver (Mesa lavapipe) so WebGPU runs on a machine without a GPU:
# developers' machines and CI. Idempotent: when Dawn (the `webgpu` package) already finds an adapter,
# it does nothing. Debian 12's own Mesa (22.3) gives Dawn no adapter, so the driver comes from
# bookworm-backports (Mesa 25), added to the machine's existing Debian source (same mirror, no new host).
# Needs root (apt-get). See docs/webgpu.md.
set -euo pipefail
cd "$(dirname "$0")/.."

export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/nnet-xdg-runtime}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# Prints the adapter and exits 0 when Dawn finds one; exits 1 otherwise. Keeps the object create()
# returns in a module-level binding for the whole run (a collected one crashes the process).
probe_adapter() {
  node --input-type=module -e "
    import { create } from 'webgpu';
    const gpu = create([]);
    globalThis.__nnetGpu = gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) process.exit(1);
    const info = adapter.info ?? {};
    console.log('WebGPU adapter: ' + [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / '));
    process.exit(0);
  " 2>/dev/null
}

if probe_adapter; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-vulkan: no WebGPU adapter found and not root; run as root (apt-get) or install Mesa's lavapipe (mesa-vulkan-drivers from bookworm-backports) yourself" >&2
  exit 1
fi

SOURCES=/etc/apt/sources.list.d/debian.sources
if [ -f "$SOURCES" ] && ! grep -q 'bookworm-backports' "$SOURCES"; then
  sed -i 's/^Suites: bookworm bookworm-updates$/Suites: bookworm bookworm-updates bookworm-backports/' "$SOURCES"
fi
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "install-vulkan: could not enable bookworm-backports (expected a deb822 source at $SOURCES with 'Suites: bookworm bookworm-updates')" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq libvulkan1 >/dev/null
apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null

if probe_adapter; then
  exit 0
fi
echo "install-vulkan: the driver is installed but Dawn still finds no adapter" >&2
exit 1
