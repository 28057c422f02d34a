/** Example sources, bundled as text (esbuild's `text` loader, scripts/build-playground.mjs). */
declare module '*.nnet' {
  const text: string;
  export default text;
}
