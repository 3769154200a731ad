/**
 * gofmt's alignment of struct fields, so an inserted mutex field leaves the struct gofmt-clean.
 *
 * go/printer writes a field as cells for text/tabwriter: `names \v type`, then `\v \v tag` for a
 * tag, and the line comment after `\v` (or `\t` after a tag); an embedded field is `type \v \v
 * comment`. Tabwriter aligns a column over consecutive lines that all have a cell in it; a blank
 * line, a comment line or the end of a multi-line field ends the run, and a column whose cells
 * are all empty and soft (`\v`) takes no space. Widths count runes; padding is one space. A
 * multi-line field's first line still takes part with its names cell.
 *
 * `renderRun` re-renders a run of field lines; callers first check that it reproduces the
 * original text, so gomend only re-aligns structs whose layout it models exactly.
 */
import type { GoFile, Node } from './tree.js';
import { specNameNodes } from './candidates.js';
import { descendants, lineEnd, lineStart } from './syntax.js';

/** One cell terminated by a tab (`soft` for \v). */
interface Cell {
  text: string;
  soft: boolean;
}

/** A line as tabwriter sees it, after its indentation. */
export interface Line {
  cells: Cell[];
  last: string;
}

function width(s: string): number {
  return [...s].length;
}

/** The cells of a one-line field: names, type, tag, comment as go/printer emits them. */
export function fieldCells(names: string, type: string, tag: string, comment: string): Line {
  const v = (text: string): Cell => ({ text, soft: true });
  if (names) {
    if (tag) return comment ? { cells: [v(names), v(type), v(''), { text: tag, soft: false }], last: comment } : { cells: [v(names), v(type), v('')], last: tag };
    return comment ? { cells: [v(names), v(type)], last: comment } : { cells: [v(names)], last: type };
  }
  if (tag) return comment ? { cells: [v(type), { text: tag, soft: false }], last: comment } : { cells: [v(type)], last: tag };
  return comment ? { cells: [v(type), v('')], last: comment } : { cells: [], last: type };
}

/** Column widths per line, as text/tabwriter computes them (DiscardEmptyColumns, padding 1). */
function layout(lines: Line[]): number[][] {
  const widths: number[][] = lines.map(() => []);
  const format = (line0: number, line1: number, column: number): void => {
    let i = line0;
    while (i < line1) {
      if (column >= lines[i].cells.length) {
        i++;
        continue;
      }
      const start = i;
      let w = 0;
      let discardable = true;
      for (; i < line1 && column < lines[i].cells.length; i++) {
        const c = lines[i].cells[column];
        w = Math.max(w, width(c.text) + 1);
        if (width(c.text) > 0 || !c.soft) discardable = false;
      }
      if (discardable) w = 0;
      for (let k = start; k < i; k++) widths[k][column] = w;
      format(start, i, column + 1);
    }
  };
  format(0, lines.length, 0);
  return widths;
}

/** The text of each line of a run, with `indent` before it. */
export function renderRun(lines: Line[], indent: string): string[] {
  const widths = layout(lines);
  return lines.map((line, i) => {
    let out = indent;
    line.cells.forEach((c, j) => {
      out += c.text + ' '.repeat(Math.max(0, (widths[i][j] ?? 0) - width(c.text)));
    });
    return out + line.last;
  });
}

/** A physical line of a struct body and, when it is a field line, its cells. */
export interface BodyLine {
  start: number;
  end: number;
  text: string;
  /** Present for a one-line field, or the first line of a multi-line field. */
  cells?: Line;
  /** The first line of a field spanning several lines. */
  multi?: boolean;
}

/** Describes the lines of a struct's field list between its braces. */
export function bodyLines(file: GoFile, list: Node): BodyLine[] | undefined {
  const src = file.source;
  const open = list.startIndex;
  const close = list.endIndex - 1;
  const first = lineEnd(src, open) + 1;
  const lastEnd = lineStart(src, close);
  const out: BodyLine[] = [];
  for (let at = first; at < lastEnd; ) {
    const end = lineEnd(src, at);
    out.push({ start: at, end, text: src.slice(at, end) });
    at = end + 1;
  }
  const kids = list.namedChildren.filter((k): k is Node => !!k);
  for (let k = 0; k < kids.length; k++) {
    const f = kids[k];
    if (f.type !== 'field_declaration') continue;
    const line = out.find((l) => f.startIndex >= l.start && f.startIndex <= l.end);
    if (!line || src.slice(line.start, f.startIndex).trim() !== '') return undefined;
    const nameNodes = specNameNodes(f);
    const names = nameNodes.map((n) => n.text).join(', ');
    const type = f.childForFieldName('type');
    if (!type) return undefined;
    const oneLine = !src.slice(f.startIndex, f.endIndex).includes('\n');
    if (nameNodes.length > 0 && src.slice(f.startIndex, type.startIndex).includes('\n')) {
      // Names over several lines: the first line holds no cell that aligns.
      line.cells = { cells: [], last: line.text.trim() };
      line.multi = true;
      continue;
    }
    if (!oneLine) {
      // A line comment after the type's first line (`x struct { // c`) follows a tab: its own cell.
      const lineComment = [...descendants(f, 'comment'), ...kids].find((n) => n.type === 'comment' && n.startIndex > type.startIndex && n.startIndex < line.end && src.slice(lineStart(src, n.startIndex), n.startIndex).trim() !== '');
      const head = src.slice(type.startIndex, lineComment ? lineComment.startIndex : line.end).trimEnd();
      if (!names) line.cells = { cells: [], last: line.text.trim() };
      else if (lineComment && lineComment.endIndex <= line.end) line.cells = { cells: [{ text: names, soft: true }, { text: head, soft: false }], last: lineComment.text };
      else line.cells = { cells: [{ text: names, soft: true }], last: head };
      line.multi = true;
      continue;
    }
    const tag = f.childForFieldName('tag')?.text ?? '';
    // An embedded `*T` keeps its star outside the type node.
    const typeText = names ? type.text : src.slice(f.startIndex, type.endIndex);
    const next = kids[k + 1];
    const comment = next && next.type === 'comment' && next.startIndex < line.end + 1 && next.startIndex > f.endIndex ? next.text : '';
    const rest = src.slice(f.endIndex, line.end).trim();
    if (rest !== comment.trim() || comment.includes('\n')) return undefined;
    line.cells = fieldCells(names, typeText, tag, comment);
  }
  return out;
}
