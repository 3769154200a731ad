/**
 * Declaring and initialising the typed maps where the original map was declared and initialised:
 * the var spec (a `var ( … )` group when there are several), the struct field (one field per typed
 * map), constructor composite literals, and the initialiser expressions themselves, whose literal
 * entries are shared out by value type. Edits are plain (line breaks and indentation, no
 * alignment): gofmt lays them out where the file was gofmt-clean.
 */
import type { SyntaxNode } from '../../src/go/index.js';
import { field, indentAt, lineStart } from '../../src/go/index.js';
import type { GoFile } from '../../src/types.js';
import type { Init } from './classify.js';
import { Decline, pure } from './emit.js';
import type { Emit, TypedMap } from './emit.js';
import { where } from './refs.js';
import { lineEnd } from '../../src/text.js';

/** Re-indents the lines after the first by `delta` tabs; declines text whose lines are content. */
function reindent(file: GoFile, node: SyntaxNode, delta: number): string {
  const text = node.text;
  if (delta === 0 || !text.includes('\n')) return text;
  const multiLineToken = node.descendantsOfType(['raw_string_literal', 'comment']).some((n) => n.text.includes('\n'));
  if (multiLineToken || delta < 0) throw new Decline(`the value at ${where(file, node)} cannot be moved to a new indentation`);
  const [first, ...rest] = text.split('\n');
  return [first, ...rest.map((l) => (l === '' ? l : '\t'.repeat(delta) + l))].join('\n');
}

/** The lines of typed map `t`'s share of a multi-line literal, with their comments and blank lines. */
function literalLines(init: Init, t: TypedMap, indent: string): string[] {
  const file = init.file;
  const body = field(init.node, 'body')!;
  const out: string[] = [];
  let lead: string[] = [];
  let prevEnd = body.startPosition.row;
  let last: { mine: boolean; row: number } | undefined;
  for (const n of body.namedChildren) {
    const row = n.startPosition.row;
    if (n.type === 'comment') {
      if (last && row === last.row) {
        if (last.mine) out[out.length - 1] += ` ${n.text}`; // a trailing comment goes with its entry
        continue;
      }
      if (row === prevEnd) throw new Decline(`the comment at ${where(file, n)} cannot be kept`);
      if (row > prevEnd + 1) lead.push('');
      lead.push(`${indent}\t${n.text}`);
      prevEnd = n.endPosition.row;
      last = undefined;
      continue;
    }
    if (row === prevEnd) throw new Decline(`the literal at ${where(file, init.node)} has several entries on one line`);
    if (row > prevEnd + 1) lead.push('');
    const entry = init.entries.find((x) => x.node === n);
    if (!entry) throw new Decline(`the literal at ${where(file, init.node)} has an entry gomend cannot read`);
    const mine = entry.type.canon === t.type.canon;
    if (mine) out.push(...(out.length ? lead : lead.filter((l) => l !== '')), `${indent}\t${reindent(file, n, indent.length + 1 - indentAt(file.source, n.startIndex).length)},`);
    lead = [];
    prevEnd = n.endPosition.row;
    last = { mine, row: prevEnd };
  }
  if (lead.some((l) => l !== '')) throw new Decline(`the comment at the end of the literal at ${where(file, init.node)} cannot be kept`);
  return out;
}

/**
 * The initialiser of typed map `t`, written in `init.file` at indentation `indent` (the indentation
 * of the line where the expression starts after the rewrite).
 */
export function initText(e: Emit, init: Init, t: TypedMap, indent: string): string {
  const type = e.mapType(t.type, init.file, init.node);
  if (init.form === 'make') {
    if (init.hint && e.maps.length > 1 && !pure(init.hint)) throw new Decline(`the size hint at ${where(init.file, init.hint)} would be evaluated once per typed map`);
    return `make(${type}${init.hint ? `, ${init.hint.text}` : ''})`;
  }
  const mine = init.entries.filter((x) => x.type.canon === t.type.canon);
  if (mine.length === 0) return `${type}{}`;
  if (init.node.startPosition.row === init.node.endPosition.row) {
    if (init.node.descendantsOfType('comment').length > 0) throw new Decline(`the comments in the literal at ${where(init.file, init.node)} cannot be kept`);
    return `${type}{${mine.map((x) => x.node.text).join(', ')}}`;
  }
  return `${type}{\n${literalLines(init, t, indent).join('\n')}\n${indent}}`;
}

/**
 * Replaces `node`, an element of `list`, by `texts`: joined by `inline` when the list is on one
 * line; else the first in its place (keeping the comment that ends its line) and the others on
 * lines of their own after it, at its indentation, each followed by `suffix`.
 */
function replaceElement(e: Emit, file: GoFile, list: SyntaxNode, node: SyntaxNode, texts: (indent: string) => string[], inline: string, suffix: string): void {
  if (list.startPosition.row === list.endPosition.row) {
    e.edit(file, node.startIndex, node.endIndex, texts('').join(inline));
    return;
  }
  const src = file.source;
  const start = lineStart(src, node.startIndex);
  const end = lineEnd(src, node.endIndex);
  const trailing = list.children.filter((c) => c.startIndex >= node.endIndex && c.startIndex < end);
  if (src.slice(start, node.startIndex).trim() !== '' || trailing.some((c) => c.type !== ',' && c.type !== 'comment') || trailing.filter((c) => c.type === 'comment').length > 1) {
    throw new Decline(`${where(file, node)} shares its line with other code`);
  }
  const indent = src.slice(start, node.startIndex);
  const [first, ...rest] = texts(indent);
  e.edit(file, node.startIndex, node.endIndex, first);
  if (rest.length) e.edit(file, end, end, rest.map((t) => `\n${indent}${t}${suffix}`).join(''));
}

/** Declares the typed maps in place of the package-level variable. */
export function declareVar(e: Emit, init: Init | undefined): void {
  const { c } = e;
  const file = c.file;
  const spec = c.decl;
  const texts = (indent: string): string[] => e.maps.map((t) => (init ? `${t.name} = ${initText(e, init, t, indent)}` : `${t.name} ${e.mapType(t.type, file, spec)}`));
  if (spec.parent?.type === 'var_spec_list') return replaceElement(e, file, spec.parent, spec, texts, '; ', '');
  if (e.maps.length === 1) return e.edit(file, spec.startIndex, spec.endIndex, texts('')[0]);
  // `var m = …` becomes a group; the comment ending its line stays with the first typed map.
  const src = file.source;
  const end = lineEnd(src, spec.endIndex);
  const rest = src.slice(spec.endIndex, end).trim();
  if (rest !== '' && !rest.startsWith('//')) throw new Decline(`its declaration (${where(file, spec)}) is followed by other code on its line`);
  const [first, ...others] = texts('\t');
  e.edit(file, spec.startIndex, spec.endIndex, `(\n\t${first}`);
  e.edit(file, end, end, `${others.map((t) => `\n\t${t}`).join('')}\n)`);
}

/** Declares one struct field per typed map in place of the original field. */
export function declareField(e: Emit): void {
  const { c } = e;
  const list = c.decl.parent;
  if (list?.type !== 'field_declaration_list') throw new Decline(`the fields of ${c.structName} cannot be read`);
  replaceElement(e, c.file, list, c.decl, () => e.maps.map((t) => `${t.name} ${e.mapType(t.type, c.file, c.decl)}`), '; ', '');
}

/** Rewrites `field: init` in a composite literal of the struct into one element per typed map. */
export function rewriteLiteralInit(e: Emit, file: GoFile, elem: SyntaxNode, init: Init): void {
  replaceElement(e, file, elem.parent!, elem, (indent) => e.maps.map((t) => `${t.name}: ${initText(e, init, t, indent)}`), ', ', ',');
}
