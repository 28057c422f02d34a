/** Types of bench/generated-model.mjs, for the test that compiles the generated model. */
export function generateModel(layers: number): { text: string; layers: number };
