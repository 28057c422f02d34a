/**
 * Errors of the data layer (readers, built-in datasets, binding to a model's inputs). Each carries a
 * stable `NNR5xxx` code and, where it applies, the place in the file (`file:row:col`).
 *
 * NNR5001  a data file cannot be read (missing, unreadable)
 * NNR5002  malformed file: bad header, ragged CSV row, truncated NPY/IDX, invalid JSON
 * NNR5003  a cell or value is not a number
 * NNR5004  unsupported format or dtype (NPY fortran order, unknown IDX type, ...)
 * NNR5005  the data does not fit the model: missing field, wrong shape or dtype for an input
 * NNR5006  unknown built-in dataset or bad dataset option (label column not found, ...)
 * NNR5007  lists nested deeper than a sample may be (MAX_NESTING), refused before any recursive walk
 */
export type DataErrorCode = 'NNR5001' | 'NNR5002' | 'NNR5003' | 'NNR5004' | 'NNR5005' | 'NNR5006' | 'NNR5007';

export class DataError extends Error {
  constructor(
    readonly code: DataErrorCode,
    message: string,
    /** `file`, `file:row` or `file:row:col` (1-based), when the error has a place. */
    readonly location?: string,
  ) {
    super(message);
    this.name = 'DataError';
  }

  /** One line for users: `data.csv:4:2: error NNR5003: cell "abc" is not a number`. */
  format(): string {
    return `${this.location ? `${this.location}: ` : ''}error ${this.code}: ${this.message}`;
  }
}
