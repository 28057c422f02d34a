/**
 * Dot rendered to SVG in process by Graphviz compiled to WebAssembly (`@viz-js/viz`): no `dot`
 * program needed. The module (1.2 MiB of JavaScript with the WebAssembly inlined) is loaded on
 * first use only.
 */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return centreNodeText(result.output);
}

/**
 * Graphviz places each line of an HTML-like label from its left end, measured with Helvetica's
 * widths; a viewer that substitutes a wider font (DejaVu Sans on Linux) then pushes every line out
 * of the right side of its box. Every line of a node label is one centred run (dot.ts), so anchor
 * it at the node's centre instead: a wider font then spreads evenly into the node's margins.
 */
function centreNodeText(svg: string): string {
  return svg.replace(/<g id="[^"]*" class="node">[\s\S]*?<\/g>/g, (node) => {
    const centre = shapeCentre(node);
    if (centre === undefined) return node;
    return node.replace(/<text([^>]*?) text-anchor="start" x="[-\d.]+"/g, `<text$1 text-anchor="middle" x="${centre.toFixed(2)}"`);
  });
}

/** The horizontal centre of a node's shape: an ellipse's cx, else the middle of its outline's x range. */
function shapeCentre(node: string): number | undefined {
  const ellipse = /<ellipse[^>]* cx="([-\d.]+)"/.exec(node);
  if (ellipse) return Number(ellipse[1]);
  const outline = /<(?:path[^>]* d|polygon[^>]* points)="([^"]+)"/.exec(node);
  if (!outline) return undefined;
  const xs = [...outline[1]!.matchAll(/(-?[\d.]+),-?[\d.]+/g)].map((m) => Number(m[1]));
  return xs.length > 0 ? (Math.min(...xs) + Math.max(...xs)) / 2 : undefined;
}
