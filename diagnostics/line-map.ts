/**
 * Offsets ↔ positions. The front end speaks in character offsets (UTF-16 code units, the units of
 * a JavaScript string and of LSP positions); the CLI prints 1-based `line:column` and the language
 * server sends 0-based `{ line, character }`. Line starts are computed once; each lookup is a binary
 * search. A line ends at `\n`, `\r\n` or a lone `\r`.
 */

export interface LineColumn {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based character offset within the line, in UTF-16 code units. */
  character: number;
}

export class LineMap {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based position of an offset (clamped into the document). */
  position(offset: number): Position {
    const clamped = this.clamp(offset);
    const line = this.lineIndexOf(clamped);
    return { line, character: clamped - this.lineStarts[line]! };
  }

  /** 1-based line and column of an offset, as printed by the CLI. */
  lineColumn(offset: number): LineColumn {
    const { line, character } = this.position(offset);
    return { line: line + 1, column: character + 1 };
  }

  /** Offset of a 0-based position; a character past the line's end is clamped to the end. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  /** Offset of the first character of a 0-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }

  /** Offset just past the last character of a 0-based line, before its line break. */
  lineEnd(line: number): number {
    const index = Math.max(0, Math.min(line, this.lineStarts.length - 1));
    let end = index + 1 < this.lineStarts.length ? this.lineStarts[index + 1]! : this.text.length;
    if (end > this.lineStarts[index]! && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[index]! && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of a 0-based line, without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  private clamp(offset: number): number {
    if (!(offset > 0)) return 0;
    return Math.min(Math.floor(offset), this.text.length);
  }

  /** The last line whose start is at or before `offset`. */
  private lineIndexOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
