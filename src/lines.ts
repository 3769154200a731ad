/**
 * Lines of a text: from a UTF-16 offset to its line and column, by a binary search over the line
 * starts. Findings, SARIF regions, messages and tree positions all ask this, often many times for
 * one file, so counting newlines from the top each time would be quadratic.
 */

/** Maps UTF-16 offsets of a text to 1-based lines and UTF-16 columns. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The offset where the 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts[line - 1];
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** Indices of the texts asked about most recently, oldest first (see `lineIndexOf`). */
const recent = new Map<string, LineIndex>();
const RECENT = 256;

/**
 * The index of `text`, kept for the texts asked about most recently: callers ask about one file in
 * runs, but an analysis of a package goes back and forth between its files, and rebuilding the
 * index of a large file at each switch cost as much as the analysis itself.
 */
export function lineIndexOf(text: string): LineIndex {
  let index = recent.get(text);
  if (index) {
    if (recent.size > 1) {
      recent.delete(text);
      recent.set(text, index);
    }
    return index;
  }
  index = new LineIndex(text);
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
  recent.set(text, index);
  return index;
}
