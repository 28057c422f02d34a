import { InvalidArgumentError, type Command } from 'commander';
import { join } from 'node:path';
import { BUILTIN_DATASETS, isBuiltin, loadBuiltin, type SplitData } from '../../runtime/data/builtins.js';
import type { Dataset } from '../../runtime/data/dataset.js';
import { writeNpy } from '../../runtime/data/npy.js';
import { prepareOutput, writeFileAtomic } from '../../files/guarded-files.js';
import { runCommand } from '../model-loading.js';
import type { SetExitCode } from './index.js';

/**
 * `nnet data export NAME DIR`: a built-in dataset (digits, iris, xor) as NPY files, with nnet's own
 * train/test split, for tools outside nnet (the PyTorch export's train.py reads the folder):
 *   DIR/fields.json          {"fields": [...], "label": "label"}
 *   DIR/train/<field>.npy    DIR/test/<field>.npy
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  const data = program.command('data').description('work with datasets');
  data
    .command('export')
    .description(`write a built-in dataset (${BUILTIN_DATASETS.join(', ')}) as NPY files, split as nnet splits it`)
    .argument('<name>', BUILTIN_DATASETS.join(', '), parseName)
    .argument('<dir>', 'the folder to write')
    .action(async (name: (typeof BUILTIN_DATASETS)[number], dir: string) => {
      await runCommand(setExitCode, async () => {
        const split: SplitData = loadBuiltin(name);
        const parts: Array<[string, Dataset]> = [['train', split.train], ...(split.test ? [['test', split.test] as [string, Dataset]] : [])];
        const fields = Object.keys(split.train.fields);
        const manifest = join(dir, 'fields.json');
        prepareOutput(manifest, { what: 'the dataset manifest' });
        for (const [part, dataset] of parts) {
          for (const field of fields) {
            const path = join(dir, part, `${field}.npy`);
            prepareOutput(path, { what: `${part}/${field}.npy` });
            writeFileAtomic(path, writeNpy(dataset.fields[field]!));
          }
        }
        writeFileAtomic(manifest, JSON.stringify({ fields, label: split.train.labelField ?? null }) + '\n');
        process.stderr.write(`wrote ${dir} (${name}: ${parts.map(([part, d]) => `${d.length} ${part}`).join(', ')} samples; fields ${fields.join(', ')})\n`);
      });
    });
}

function parseName(value: string): (typeof BUILTIN_DATASETS)[number] {
  if (!isBuiltin(value)) throw new InvalidArgumentError(`use one of ${BUILTIN_DATASETS.join(', ')}`);
  return value;
}
