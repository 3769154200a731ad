/**
 * Rewriting one element of a gofmt-aligned list (var group, struct fields, composite literal) into
 * several elements, with the padding gofmt would give the whole list.
 *
 * Each list kind says how go/printer prints one element (its cells, see layout.ts). The untouched
 * list is rendered first; if that does not reproduce the source line for line, the model does not
 * hold there (the code is not gofmt-formatted, or has a layout the model does not know), and only
 * the new lines are aligned among themselves, leaving the neighbours as they are.
 */
import type { Edit, GoFile, Node } from '../../src/types.js';
import { byteLength, exprListBreaks, layoutElements, rowOf } from './layout.js';
import type { LaidElement } from './layout.js';
import { keepTypeColumn, piecesOf } from './printer.js';

export type { ElemDesc, ListKind } from './printer.js';
import type { ElemDesc, ListKind } from './printer.js';

/** An element of the list: description plus where it sits in the source (absent for new ones). */
interface Item {
  desc: ElemDesc;
  node?: Node;
  startRow: number;
  endRow: number;
}

function lineStartAt(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

function lineEndAt(source: string, index: number): number {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? source.length : nl;
}

/** The comment that ends an element's last line, if any; undefined marks more than one. */
function trailingComments(node: Node): Node[] {
  const out: Node[] = [];
  for (let s = node.nextSibling; s; s = s.nextSibling) {
    if (s.startPosition.row !== node.endPosition.row) break;
    if (s.type === 'comment') out.push(s);
    else if (s.type !== ',') break;
  }
  return out;
}

/** The elements of a list node with their descriptions, or undefined when the list is not modelled. */
function itemsOf(kind: ListKind, list: Node, src: string): Item[] | undefined {
  const want = kind === 'var' ? ['var_spec'] : kind === 'field' ? ['field_declaration'] : ['keyed_element', 'literal_element'];
  const items: Item[] = [];
  for (const n of list.namedChildren) {
    if (!n || n.type === 'comment') continue;
    if (!want.includes(n.type)) return undefined;
    if (n.descendantsOfType('comment').some((c) => c?.startPosition.row === n.startPosition.row)) return undefined;
    const comments = trailingComments(n);
    if (comments.length > 1) return undefined;
    const comment = comments[0]?.text;
    const endRow = comments[0] ? comments[0].endPosition.row : n.endPosition.row;
    const prevEnd = items.length ? items[items.length - 1].endRow : list.startPosition.row;
    if (n.startPosition.row <= prevEnd) return undefined;
    const names = n.childrenForFieldName('name').filter((c): c is Node => !!c);
    if (names.length && names[names.length - 1].endPosition.row !== n.startPosition.row) return undefined;
    items.push({ desc: describe(kind, n, comment, src), node: n, startRow: n.startPosition.row, endRow });
  }
  if (items.length && list.endPosition.row <= items[items.length - 1].endRow) return undefined;
  return items;
}

function describe(kind: ListKind, n: Node, comment: string | undefined, src: string): ElemDesc {
  if (kind === 'var') {
    const names = n.childrenForFieldName('name').filter((c): c is Node => !!c && c.type === 'identifier').map((c) => c.text);
    return { names: names.join(', '), type: n.childForFieldName('type')?.text, value: n.childForFieldName('value')?.text, comment };
  }
  if (kind === 'field') {
    const names = n.childrenForFieldName('name').filter((c): c is Node => !!c && c.type === 'field_identifier').map((c) => c.text);
    const tag = n.childForFieldName('tag');
    if (names.length === 0) {
      const type = src.slice(n.startIndex, tag ? tag.startIndex : n.endIndex).trimEnd();
      return { type, tag: tag?.text, comment };
    }
    return { names: names.join(', '), type: n.childForFieldName('type')?.text, tag: tag?.text, comment };
  }
  if (n.type === 'keyed_element') {
    return { names: n.childForFieldName('key')?.text, value: n.childForFieldName('value')?.text, comment };
  }
  return { value: n.text, comment };
}

/** First lines of all items as gofmt would print them. */
function render(kind: ListKind, items: Item[]): string[] {
  const descs = items.map((i) => i.desc);
  const keep = kind === 'var' ? keepTypeColumn(descs) : descs.map(() => false);
  const single = (d: ElemDesc): boolean => !`${d.names ?? ''}${d.type ?? ''}${d.value ?? ''}`.includes('\n');
  const sizes = descs.map((d) => (!single(d) ? 0 : byteLength(d.names !== undefined ? d.names : `${d.value}`)));
  const gaps = items.map((it, i) => (i === 0 ? 1 : it.startRow - items[i - 1].endRow));
  const ffBreaks = kind === 'literal' ? exprListBreaks(sizes, gaps) : undefined;
  const laid: LaidElement[] = items.map((it, i) => {
    const pairColumn = items.length > 1 && it.desc.names !== undefined && sizes[i] > 0;
    const { row, multiline } = rowOf(piecesOf(kind, it.desc, keep[i], items.length, pairColumn));
    const breakBefore = ffBreaks ? ffBreaks[i] : gaps[i] > 1;
    return { row, multiline, breakBefore };
  });
  return layoutElements(laid);
}

/** A replacement element: its description and the lines after its first (already indented). */
export interface NewElem {
  desc: ElemDesc;
  /** Lines before the element (comments, '' for blank), without indentation. */
  lead?: string[];
  /** Lines after the first, as they must appear (full lines with indentation). */
  rest: string[];
}

/** Lines after an element's first: a literal element's last line carries its comma. */
function restOf(kind: ListKind, e: NewElem): string[] {
  if (kind !== 'literal' || e.rest.length === 0) return e.rest;
  return [...e.rest.slice(0, -1), `${e.rest[e.rest.length - 1]},`];
}

function restLines(d: ElemDesc): number {
  return `${d.names ?? ''}${d.type ?? ''}${d.value ?? ''}`.split('\n').length - 1;
}

/**
 * Edits that replace `target` (an element of `list`) with `elems`, re-padding neighbours when the
 * model reproduces the list. Undefined when the list's shape is not one gomend can lay out.
 */
export function replaceInList(file: GoFile, kind: ListKind, list: Node, target: Node, elems: NewElem[]): Edit[] | undefined {
  if (elems.some((e) => e.rest.length > 0 && e.desc.comment !== undefined)) return undefined;
  const items = itemsOf(kind, list, file.source);
  if (!items) return undefined;
  const at = items.findIndex((i) => i.node && i.node.startIndex === target.startIndex && i.node.endIndex === target.endIndex);
  if (at < 0) return undefined;
  const src = file.source;
  const indentOf = (row: number): string => /^[\t]*/.exec(src.slice(rowStart(src, row)))![0];
  const indent = indentOf(items[at].startRow);
  const tgt = items[at];
  // Nothing else may share the target's lines.
  const first = lineStartAt(src, tgt.node!.startIndex);
  if (src.slice(first, tgt.node!.startIndex) !== indent) return undefined;
  const before = render(kind, items);
  const faithful = items.every((it) => {
    const s = lineStartAt(src, it.node!.startIndex);
    return src.slice(s, it.node!.startIndex) === indent && src.slice(it.node!.startIndex, lineEndAt(src, it.node!.startIndex)) === before[items.indexOf(it)];
  });
  const fresh: Item[] = elems.map((e, i) => ({
    desc: e.desc,
    startRow: tgt.startRow + i,
    endRow: tgt.startRow + i + restLines(e.desc),
  }));
  // Keep the original distance to the element after the target.
  const shift = tgt.endRow - fresh[fresh.length - 1].endRow;
  const after = items.slice(at + 1).map((it) => ({ ...it, startRow: it.startRow - shift, endRow: it.endRow - shift }));
  const next = faithful ? [...items.slice(0, at), ...fresh, ...after] : fresh;
  const lines = render(kind, next);
  const offset = faithful ? at : 0;
  const text = elems.map((e, i) => [lines[offset + i], ...restOf(kind, e)].join('\n')).join(`\n${indent}`);
  const end = lineEndAt(src, rowStart(src, tgt.endRow));
  const edits: Edit[] = [{ start: tgt.node!.startIndex, end, text }];
  if (faithful) {
    next.forEach((it, i) => {
      if (!it.node || it.node === tgt.node) return;
      const s = it.node.startIndex;
      const e = lineEndAt(src, s);
      if (src.slice(s, e) !== lines[i]) edits.push({ start: s, end: e, text: lines[i] });
    });
  }
  return edits;
}

function rowStart(source: string, row: number): number {
  let at = 0;
  for (let r = 0; r < row; r++) {
    const nl = source.indexOf('\n', at);
    if (nl === -1) return source.length;
    at = nl + 1;
  }
  return at;
}

/**
 * Freshly made elements (a new var group, the entries of a typed map literal) laid out like gofmt,
 * as full lines indented with `indent`. `lead` lines (comments, '' for a blank line) go before an
 * element and start a new alignment section, as they do for gofmt.
 */
export function renderNew(kind: ListKind, elems: NewElem[], indent: string): string | undefined {
  if (elems.some((e) => e.rest.length > 0 && e.desc.comment !== undefined)) return undefined;
  const items: Item[] = [];
  let row = 0;
  for (const e of elems) {
    row += e.lead?.length ?? 0;
    const end = row + restLines(e.desc);
    items.push({ desc: e.desc, startRow: row, endRow: end });
    row = end + 1;
  }
  const lines = render(kind, items);
  const out: string[] = [];
  elems.forEach((e, i) => {
    for (const l of e.lead ?? []) out.push(l === '' ? '' : indent + l);
    out.push(indent + lines[i], ...restOf(kind, e));
  });
  return out.join('\n');
}

/**
 * The comment ending the line of a list element: the text, `undefined` for none, `null` when the
 * line ends in something gomend does not model (several comments).
 */
export function trailingCommentOf(node: Node): string | undefined | null {
  const c = trailingComments(node);
  return c.length > 1 ? null : c[0]?.text;
}

/** Exposed for the layout self-check over real code: renders a list unchanged. */
export function renderExisting(kind: ListKind, list: Node, src: string): { ok: boolean; mismatches: string[] } | undefined {
  const items = itemsOf(kind, list, src);
  if (!items || items.length === 0) return undefined;
  const lines = render(kind, items);
  const mismatches: string[] = [];
  items.forEach((it, i) => {
    const s = it.node!.startIndex;
    const actual = src.slice(s, lineEndAt(src, s));
    if (actual !== lines[i]) mismatches.push(`${JSON.stringify(actual)} vs ${JSON.stringify(lines[i])}`);
  });
  return { ok: mismatches.length === 0, mismatches };
}
