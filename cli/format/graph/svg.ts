/**
 * Dot rendered to SVG in process by Graphviz compiled to WebAssembly (`@viz-js/viz`): no `dot`
 * program needed. The module (1.2 MiB of JavaScript with the WebAssembly inlined) is loaded on first use only.
 */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return result.output;
}
