/** Types of bench/generated-model.mjs, for the tests that use its generated sources. */
export function generateModel(layers: number): { text: string; layers: number };
export function manyModels(bytes: number): string;
