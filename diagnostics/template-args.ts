/**
 * The arguments a message template takes, computed by the type checker from its `{0}`, `{1}`...
 * placeholders: `"'{0}' is not defined{1}"` takes `[Arg, Arg]`, a template without placeholders `[]`.
 * A call with too few or too many arguments for its code is a compile error.
 */

/** What fills a placeholder. */
export type TemplateArg = string | number;

/** The placeholder indices of a template, as a union of number literals. */
type PlaceholderIndices<T extends string> = T extends `${string}{${infer Inside}}${infer Rest}`
  ? (Inside extends `${infer N extends number}` ? N : never) | PlaceholderIndices<Rest>
  : never;

/** One argument per index up to the highest placeholder (a gap still takes a slot). */
type ArgsUpTo<Indices extends number, Acc extends TemplateArg[] = []> = [Indices] extends [never]
  ? Acc
  : ArgsUpTo<Exclude<Indices, Acc['length']>, [...Acc, TemplateArg]>;

export type TemplateArgs<T extends string> = ArgsUpTo<PlaceholderIndices<T>>;

/** Fills a template: `formatTemplate('{0} expected', ['x'])` → `x expected`. */
export function formatTemplate(template: string, args: readonly TemplateArg[]): string {
  return template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}
