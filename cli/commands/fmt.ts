import type { Command } from 'commander';
import type { SetExitCode } from './index.js';

// Placeholder until the owning issue lands; replace the body, keep the signature.
export function register(_program: Command, _setExitCode: SetExitCode): void {}
