import { blockFrozenParam } from '../compiler/ops/common.js';
import type { FileNode } from '../grammar/ast.js';

/**
 * What the editor features need to know about the language's vocabulary: every op, activation,
 * loss, optimizer, schedule, initialiser and train setting, with its parameters, defaults and
 * documentation. The entries come from the compiler's op registry (`compiler/ops/`) through
 * `op-catalog.ts`; this file only shapes them for lookups, so no op knowledge lives in the server.
 */

export type EntryKind =
  | 'layer'
  | 'activation'
  | 'loss'
  | 'optimizer'
  | 'schedule'
  | 'clip'
  | 'regularizer'
  | 'augment'
  | 'initializer'
  | 'metric'
  | 'setting'
  | 'other';

export interface CatalogParam {
  name: string;
  /** The default as source text (`relu`, `1e-3`), absent for a required parameter. */
  default?: string;
  doc?: string;
  /** True for the tensor input(s) a pipeline stage receives implicitly. */
  tensor?: boolean;
  /** The words the argument takes (`same`, `valid`; a merge mode). */
  choices?: readonly string[];
  /** The ops whose call the argument is (bidirectional's wrapped rnn/lstm/gru). */
  calls?: readonly string[];
}

export interface CatalogEntry {
  name: string;
  kind: EntryKind;
  params: CatalogParam[];
  /** One or two sentences of documentation (markdown). */
  doc: string;
  /** The shape rule in words, e.g. `[*, in] → [*, units]`, when the registry has one. */
  shapeRule?: string;
}

export class Catalog {
  private readonly byName = new Map<string, CatalogEntry[]>();

  constructor(readonly entries: readonly CatalogEntry[]) {
    for (const entry of entries) {
      const list = this.byName.get(entry.name) ?? [];
      list.push(entry);
      this.byName.set(entry.name, list);
    }
  }

  /** The entry for a name, preferring `kind` when the name means several things (`l2`). */
  lookup(name: string, kind?: EntryKind): CatalogEntry | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    return (kind && list.find((e) => e.kind === kind)) || list[0];
  }

  ofKind(...kinds: EntryKind[]): CatalogEntry[] {
    return this.entries.filter((e) => kinds.includes(e.kind));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
}

/** The signature as users read it: every parameter, with ` = default` where it has one (`activation = linear`). */
export function signatureLabel(entry: CatalogEntry): string {
  const params = entry.params.map((p) => (p.default === undefined ? p.name : `${p.name} = ${p.default}`));
  return `${entry.name}(${params.join(', ')})`;
}

/** A block declared in the file, seen as a vocabulary entry: its parameters and defaults from the source. */
export function blockEntry(file: FileNode, text: string, name: string): CatalogEntry | undefined {
  const block = file.decls.find((d) => d.kind === 'Block' && d.name.name === name);
  if (!block || block.kind !== 'Block') return undefined;
  return {
    name,
    kind: 'other',
    doc: `Block \`${name}\`, declared in this file.`,
    params: [
      ...block.params.map((p, i) => ({
        name: p.name.name,
        default: p.default ? text.slice(p.default.range.start, p.default.range.end) : undefined,
        tensor: i === 0,
      })),
      // Every call may freeze its use, unless the block has a parameter of that name.
      ...(block.params.some((p) => p.name.name === blockFrozenParam.name) ? [] : [{ name: blockFrozenParam.name, default: 'false', doc: blockFrozenParam.doc }]),
    ],
  };
}
