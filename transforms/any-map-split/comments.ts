/**
 * Trailing comments aligned in a column. gofmt lines up the comments that end consecutive
 * single-line statements (`a := 1         // c6` over `bbbbbbbbb := 2 // c7`), so a rewrite that
 * makes one statement shorter or longer must re-pad the whole run. This handles runs of statements
 * of one block; an edited line with a trailing comment in any other aligned context (a var group,
 * a composite literal, call arguments) is declined rather than left misaligned.
 */
import type { GoFile, Node } from '../../src/types.js';

/** An edit as the fix builder holds it (see emit.ts). */
export interface RowEdit {
  file: GoFile;
  start: number;
  end: number;
  text: string;
  stmts?: string[];
  /** Set on edits that lay out whole lines themselves (lists.ts). */
  layout?: boolean;
}

function rowBounds(src: string, index: number): { start: number; end: number } {
  const start = src.lastIndexOf('\n', index - 1) + 1;
  const nl = src.indexOf('\n', index);
  return { start, end: nl === -1 ? src.length : nl };
}

/** The comment ending the row at `index` after some code on the same row, if any. */
function trailingComment(file: GoFile, index: number): Node | undefined {
  const src = file.source;
  const { start, end } = rowBounds(src, index);
  const last = src.slice(start, end).trimEnd().length + start - 1;
  if (last < start) return undefined;
  const n = file.root.descendantForIndex(last, last);
  if (!n || n.type !== 'comment' || n.startIndex < start) return undefined;
  return src.slice(start, n.startIndex).trim() !== '' ? n : undefined;
}

function rowOf(src: string, index: number): number {
  let row = 0;
  for (let i = src.indexOf('\n'); i !== -1 && i < index; i = src.indexOf('\n', i + 1)) row++;
  return row;
}

function at(file: GoFile, index: number): string {
  return `${file.path.split('/').pop()}:${rowOf(file.source, index) + 1}`;
}

function runeLength(s: string): number {
  return [...s].length;
}

/**
 * Re-pads runs of commented statements touched by `edits`. Returns the padding edits, or a string
 * saying why the layout cannot be kept gofmt-shaped.
 */
export function realignComments(file: GoFile, edits: RowEdit[]): RowEdit[] | string {
  const src = file.source;
  const out: RowEdit[] = [];
  const done = new Set<number>();
  for (const e of edits) {
    if (e.layout || e.file !== file) continue;
    const comment = trailingComment(file, e.end);
    if (!comment || done.has(comment.startIndex)) continue;
    const row = rowBounds(src, e.end);
    const neighbour = [row.start - 1, row.end + 1].some((i) => i >= 0 && i < src.length && trailingComment(file, i));
    if (!neighbour) continue;
    // The statement holding the edit, alone on its row, in a block.
    let stmt: Node | null = file.root.descendantForIndex(e.start, Math.max(e.start, e.end - 1));
    while (stmt && stmt.parent?.type !== 'statement_list') stmt = stmt.parent;
    if (!stmt || stmt.startPosition.row !== stmt.endPosition.row || rowBounds(src, stmt.startIndex).start !== row.start) {
      return `the comment ending ${at(file, comment.startIndex)} is aligned with its neighbours`;
    }
    const run = commentRun(file, stmt);
    if (!run) return `the comments around ${at(file, stmt.startIndex)} are not aligned the way gofmt aligns them`;
    const lines = run.map(({ stmt: s, comment: c }) => {
      const codeEnd = s.startIndex + src.slice(s.startIndex, c.startIndex).trimEnd().length;
      // A statement split into several keeps its comment on the last of them, which starts a new run.
      const split = edits.find((x) => x.stmts && x.file === file && x.start === s.startIndex && x.end === codeEnd);
      let code = src.slice(s.startIndex, codeEnd);
      if (split) code = split.stmts![split.stmts!.length - 1];
      else {
        for (const x of edits.filter((y) => y.file === file && y.start >= s.startIndex && y.end <= codeEnd).sort((a, b) => b.start - a.start)) {
          code = code.slice(0, x.start - s.startIndex) + x.text + code.slice(x.end - s.startIndex);
        }
      }
      const fresh = !!split && split.stmts!.length > 1;
      return { codeEnd, comment: c, fresh, before: runeLength(src.slice(s.startIndex, codeEnd)), after: runeLength(code), column: runeLength(src.slice(s.startIndex, c.startIndex)) };
    });
    const oldColumn = Math.max(...lines.map((l) => l.before)) + 1;
    if (lines.some((l) => l.column !== oldColumn)) return `the comments around ${at(file, stmt.startIndex)} are not aligned the way gofmt aligns them`;
    const segments: (typeof lines)[] = [];
    for (const l of lines) {
      if (l.fresh || segments.length === 0) segments.push([]);
      segments[segments.length - 1].push(l);
    }
    for (const seg of segments) {
      const newColumn = Math.max(...seg.map((l) => l.after)) + 1;
      for (const l of seg) {
        done.add(l.comment.startIndex);
        if (newColumn - l.after !== oldColumn - l.before) out.push({ file, start: l.codeEnd, end: l.comment.startIndex, text: ' '.repeat(newColumn - l.after) });
      }
    }
  }
  return out;
}

/**
 * The run of adjacent single-line statements of one block, each ending in a comment, around
 * `stmt` (gofmt breaks the alignment at blank lines, comment lines and multi-line statements).
 */
function commentRun(file: GoFile, stmt: Node): { stmt: Node; comment: Node }[] | undefined {
  const src = file.source;
  const indent = (n: Node): string => src.slice(rowBounds(src, n.startIndex).start, n.startIndex);
  const entry = (s: Node | null): { stmt: Node; comment: Node } | undefined => {
    if (!s || s.type === 'comment' || s.startPosition.row !== s.endPosition.row || indent(s).trim() !== '' || indent(s) !== indent(stmt)) return undefined;
    const c = trailingComment(file, s.endIndex);
    return c && c.startPosition.row === s.startPosition.row ? { stmt: s, comment: c } : undefined;
  };
  const self = entry(stmt);
  if (!self) return undefined;
  const stmts = (stmt.parent?.namedChildren ?? []).filter((n): n is Node => !!n && n.type !== 'comment');
  const at = stmts.findIndex((n) => n.startIndex === stmt.startIndex && n.endIndex === stmt.endIndex);
  if (at < 0) return undefined;
  const run = [self];
  for (let i = at - 1; i >= 0 && stmts[i].endPosition.row === run[0].stmt.startPosition.row - 1; i--) {
    const x = entry(stmts[i]);
    if (!x) break;
    run.unshift(x);
  }
  for (let i = at + 1; i < stmts.length && stmts[i].startPosition.row === run[run.length - 1].stmt.endPosition.row + 1; i++) {
    const x = entry(stmts[i]);
    if (!x) break;
    run.push(x);
  }
  return run;
}
