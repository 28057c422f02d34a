import type { HostTensor } from '../tensor.js';
import { makeDataset, type Dataset } from './dataset.js';
import { DataError } from './errors.js';

export interface CsvOptions {
  /** Name of the label column; default: a column named `label`, else the last column. */
  label?: string;
  /** For error locations. */
  file?: string;
}

/**
 * Reads a CSV file with a header row: every column but the label is a numeric feature
 * (field `features`, [rows, columns]); the label column becomes a field named after it ([rows]).
 * A non-numeric label column is read as class names and mapped to 0..k-1 in sorted order.
 * Ragged rows and non-numeric feature cells are errors located as `file:row:col` (1-based, the
 * header is row 1).
 */
export function readCsv(text: string, options: CsvOptions = {}): Dataset {
  const file = options.file ?? '<csv>';
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new DataError('NNR5002', 'the CSV file is empty (a header row is needed)', file);
  const header = splitRow(lines[0]!);
  const labelIndex = findLabelColumn(header, options.label, file);
  const rows = lines.slice(1);
  const featureCount = header.length - 1;
  const features = new Float32Array(rows.length * featureCount);
  const rawLabels: string[] = [];
  rows.forEach((line, r) => {
    const cells = splitRow(line);
    const rowNumber = r + 2;
    if (cells.length !== header.length) {
      throw new DataError(
        'NNR5002',
        `row has ${cells.length} cells, the header has ${header.length}`,
        `${file}:${rowNumber}`,
      );
    }
    let f = 0;
    cells.forEach((cell, c) => {
      if (c === labelIndex) {
        rawLabels.push(cell);
        return;
      }
      features[r * featureCount + f++] = parseCell(cell, `${file}:${rowNumber}:${c + 1}`, header[c]!);
    });
  });
  const labelName = header[labelIndex]!;
  return makeDataset(
    { features: { shape: [rows.length, featureCount], dtype: 'f32', data: features }, [labelName]: labelTensor(rawLabels) },
    labelName,
  );
}

function splitRow(line: string): string[] {
  // Quoted cells may hold commas; doubled quotes inside them stand for one quote.
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function findLabelColumn(header: string[], label: string | undefined, file: string): number {
  if (label !== undefined) {
    const index = header.indexOf(label);
    if (index < 0) {
      throw new DataError('NNR5006', `label column '${label}' not found; the header has ${header.join(', ')}`, `${file}:1`);
    }
    return index;
  }
  const named = header.indexOf('label');
  return named >= 0 ? named : header.length - 1;
}

function parseCell(cell: string, location: string, column: string): number {
  const value = cell === '' ? NaN : Number(cell);
  if (!Number.isFinite(value)) {
    throw new DataError('NNR5003', `cell ${JSON.stringify(cell)} in column '${column}' is not a number`, location);
  }
  return value;
}

/** Numeric labels stay numbers (i32 when all are integers); class names map to sorted indices. */
function labelTensor(raw: string[]): HostTensor {
  const numbers = raw.map((cell) => (cell === '' ? NaN : Number(cell)));
  if (numbers.every(Number.isFinite)) {
    const integral = numbers.every(Number.isInteger);
    return { shape: [raw.length], dtype: integral ? 'i32' : 'f32', data: integral ? Int32Array.from(numbers) : Float32Array.from(numbers) };
  }
  const classes = [...new Set(raw)].sort();
  const index = new Map(classes.map((name, i) => [name, i]));
  return { shape: [raw.length], dtype: 'i32', data: Int32Array.from(raw, (name) => index.get(name)!) };
}
