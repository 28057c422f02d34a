import type { FusedGroupCounter } from './providers/code-lens.js';

/**
 * The code lens shows how many fused kernel groups the back end makes of a model. The back end
 * (compiler/compile.ts) is optional for the server: it is loaded at start-up if present, and the
 * lens leaves that part out otherwise. The module name is computed so the server builds without it.
 */
export async function fusedGroupCounter(): Promise<FusedGroupCounter | undefined> {
  const specifier = new URL('../compiler/compile.js', import.meta.url).href;
  let backend: Record<string, unknown>;
  try {
    backend = (await import(specifier)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const compileModel = backend.compileModel;
  if (typeof compileModel !== 'function') return undefined;
  return (model) => {
    try {
      const plan = compileModel(model) as { steps?: Array<{ kernel?: string }>; forward?: Array<{ kernel?: string }> };
      const steps = plan.forward ?? plan.steps;
      if (!Array.isArray(steps)) return undefined;
      return steps.filter((s) => typeof s.kernel === 'string' && s.kernel.includes('+')).length;
    } catch {
      return undefined;
    }
  };
}
