/**
 * Column alignment the way gofmt does it, for the lists any-map-split rewrites: the specs of a
 * `var ( … )` group, the fields of a struct and the key: value elements of a composite literal.
 *
 * Splitting one map into several typed maps adds lines to such a list, and gofmt aligns the names,
 * types, values and trailing comments of neighbouring lines in columns, so the new lines and often
 * their neighbours need different padding. gomend cannot run gofmt inside a transform (transforms
 * are pure), so this module reproduces the two pieces of go/printer and text/tabwriter involved:
 * how a line is cut into cells (vertical tabs between name, type, value; a tab before a trailing
 * comment) and how text/tabwriter pads a column block of consecutive lines. Callers check the model
 * by rendering the untouched list first: only when that reproduces the source exactly do they let
 * it re-pad neighbours.
 */

/** A cell of a line: text terminated by a vertical tab (soft) or a tab (`htab`, never discarded). */
export interface Cell {
  text: string;
  htab?: boolean;
}

/** One output line cut into cells: terminated cells, then the text after the last tab. */
export interface Row {
  cells: Cell[];
  trailing: string;
}

/** A piece of the token stream go/printer writes for one line: text, a vtab or a tab. */
export type Piece = string | { tab: 'v' | 'h' };

/** A vertical tab: ends a cell that aligns, and may be discarded when its column is empty. */
export const VTAB: Piece = { tab: 'v' };
/** A tab: ends a cell that is never discarded (go/printer writes one before a trailing comment). */
export const HTAB: Piece = { tab: 'h' };

/**
 * Cuts a printed stream into the first line's row. Text after a newline belongs to later lines
 * (a multi-line value) and is dropped here: such a row ends its section.
 */
export function rowOf(pieces: Piece[]): { row: Row; multiline: boolean } {
  const cells: Cell[] = [];
  let cur = '';
  for (const p of pieces) {
    if (typeof p === 'string') {
      const nl = p.indexOf('\n');
      if (nl !== -1) return { row: { cells, trailing: cur + p.slice(0, nl) }, multiline: true };
      cur += p;
    } else {
      cells.push({ text: cur, htab: p.tab === 'h' ? true : undefined });
      cur = '';
    }
  }
  return { row: { cells, trailing: cur }, multiline: false };
}

/**
 * Appends a trailing comment the way go/printer's writeCommentPrefix does: blanks before it are
 * dropped, pending vertical tabs separate it, otherwise a hard tab does.
 */
export function withComment(pieces: Piece[], comment: string | undefined): Piece[] {
  if (comment === undefined) return pieces;
  const out = pieces.slice();
  while (out.length && typeof out[out.length - 1] === 'string') {
    const last = (out[out.length - 1] as string).replace(/ +$/, '');
    if (last === '') out.pop();
    else {
      out[out.length - 1] = last;
      break;
    }
  }
  const last = out[out.length - 1];
  if (!(last && typeof last !== 'string' && last.tab === 'v')) out.push(HTAB);
  out.push(comment);
  return out;
}

/** Width of a cell as text/tabwriter counts it: runes. */
function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Lays out one section (a run of lines not broken by a formfeed or an empty line) like
 * text/tabwriter with go/printer's settings: minwidth 0, padding 1, spaces, DiscardEmptyColumns.
 * Returns each line without indentation and without trailing blanks (gofmt trims those).
 */
export function tabwrite(rows: Row[]): string[] {
  const out: string[] = rows.map(() => '');
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      let text = '';
      rows[i].cells.forEach((c, j) => {
        text += c.text;
        if (j < widths.length) text += ' '.repeat(Math.max(0, widths[j] - runeLength(c.text)));
      });
      out[i] = (text + rows[i].trailing).replace(/[ \t]+$/, '');
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= rows[at].cells.length) continue;
      writeLines(line0, at);
      line0 = at;
      let width = 0;
      let discardable = true;
      for (; at < line1; at++) {
        if (column >= rows[at].cells.length) break;
        const c = rows[at].cells[column];
        const w = runeLength(c.text) + 1;
        if (w > width) width = w;
        if (c.text.length > 0 || c.htab) discardable = false;
      }
      if (discardable) width = 0;
      widths.push(width);
      format(line0, at);
      widths.pop();
      line0 = at;
    }
    writeLines(line0, line1);
  };
  format(0, rows.length);
  return out;
}

/** One element of a list to lay out: its first line's row, and whether a new section starts at it. */
export interface LaidElement {
  row: Row;
  multiline: boolean;
  /** True when blank lines, comment lines or a formfeed separate it from the previous element. */
  breakBefore: boolean;
}

/** First lines of every element, laid out section by section. A multi-line element ends its section. */
export function layoutElements(elems: LaidElement[]): string[] {
  const out: string[] = [];
  let section: Row[] = [];
  const flush = (): void => {
    out.push(...tabwrite(section));
    section = [];
  };
  elems.forEach((e, i) => {
    if (i > 0 && (e.breakBefore || elems[i - 1].multiline)) flush();
    section.push(e.row);
  });
  flush();
  return out;
}

/** UTF-8 length, which go/printer's nodeSize measures. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Where go/printer's exprList starts a new alignment section among the elements of a multi-line
 * composite literal, each on its own line: after a multi-line element, at blank or comment lines,
 * and where a key's size jumps against the geometric mean of the keys before it (both over 40).
 * `sizes[i]` is the key size of a single-line pair, the element size of another single-line
 * element, 0 for a multi-line one; `gaps[i]` counts the lines between element i-1 and i.
 */
export function exprListBreaks(sizes: number[], gaps: number[]): boolean[] {
  const breaks: boolean[] = [];
  let size = 0;
  let lnsum = 0;
  let count = 0;
  sizes.forEach((s, i) => {
    const prevSize = size;
    size = s;
    let useFF = true;
    if (prevSize > 0 && size > 0) {
      if (count === 0 || (prevSize <= 40 && size <= 40)) useFF = false;
      else {
        const ratio = size / Math.exp(lnsum / count);
        useFF = 2.5 * ratio <= 1 || 2.5 <= ratio;
      }
    }
    if (i > 0) {
      const n = Math.min(Math.max(gaps[i], 0), 2);
      const nbreaks = useFF ? n + 1 : n;
      breaks.push(useFF || n > 1);
      if (nbreaks > 1) {
        lnsum = 0;
        count = 0;
      }
    } else breaks.push(true);
    if (size > 0) {
      lnsum += Math.log(size);
      count++;
    }
  });
  return breaks;
}
