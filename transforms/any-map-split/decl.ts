/**
 * Declaring and initialising the typed maps where the original map was declared and initialised:
 * the var spec (a `var ( … )` group when there are several), the struct field (one field per typed
 * map), constructor composite literals, and the initialiser expressions themselves, whose literal
 * entries are shared out by value type.
 */
import type { GoFile, Node } from '../../src/types.js';
import type { Init } from './classify.js';
import { Decline, indentAt, pure } from './emit.js';
import type { Emit, TypedMap } from './emit.js';
import { renderNew, replaceInList, trailingCommentOf } from './lists.js';
import type { NewElem } from './lists.js';
import { where } from './refs.js';

/** Re-indents the lines after the first by `delta` tabs; refuses text whose lines are content. */
function reindent(file: GoFile, node: Node, text: string, delta: number): string {
  if (delta === 0 || !text.includes('\n')) return text;
  const multiLineToken = [...node.descendantsOfType('raw_string_literal'), ...node.descendantsOfType('comment')].some((n) => n?.text.includes('\n'));
  if (multiLineToken || delta < 0) throw new Decline(`the value at ${where(file, node)} cannot be moved to a new indentation`);
  const [first, ...rest] = text.split('\n');
  return [first, ...rest.map((l) => (l === '' ? l : '\t'.repeat(delta) + l))].join('\n');
}

/** Entries of a multi-line literal with their comments, for sharing out by type. */
function literalElems(init: Init, t: TypedMap, indent: string): NewElem[] {
  const file = init.file;
  const body = init.node.childForFieldName('body')!;
  const src = file.source;
  const out: NewElem[] = [];
  let lead: string[] = [];
  let prevEnd = body.startPosition.row;
  let afterEntry = false;
  for (const n of body.namedChildren) {
    if (!n) continue;
    if (n.type === 'comment') {
      if (n.startPosition.row === prevEnd && afterEntry) continue; // trailing: taken with its element
      if (n.startPosition.row === prevEnd) throw new Decline(`the comment at ${where(file, n)} cannot be kept`);
      if (n.startPosition.row > prevEnd + 1) lead.push('');
      lead.push(n.text);
      prevEnd = n.endPosition.row;
      afterEntry = false;
      continue;
    }
    if (n.startPosition.row === prevEnd) throw new Decline(`the literal at ${where(file, init.node)} has several entries on one line`);
    if (n.startPosition.row > prevEnd + 1) lead.push('');
    const entry = init.entries.find((x) => x.node.startIndex === n.startIndex);
    if (!entry) throw new Decline(`the literal at ${where(file, init.node)} has an entry gomend cannot read`);
    const comment = trailingCommentOf(n);
    if (comment === null) throw new Decline(`the entry at ${where(file, n)} ends in several comments`);
    const delta = indent.length + 1 - indentAt(src, n.startIndex).length;
    const key = n.childForFieldName('key')!.text;
    const value = reindent(file, n, n.childForFieldName('value')!.text, delta);
    afterEntry = true;
    if (entry.type.canon === t.type.canon) {
      out.push({ desc: { names: key, value, comment }, rest: value.split('\n').slice(1), lead: out.length ? lead : lead.filter((l) => l !== '') });
    }
    lead = [];
    prevEnd = n.endPosition.row;
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
  const body = renderNew('literal', literalElems(init, t, indent), `${indent}\t`);
  if (body === undefined) throw new Decline(`the literal at ${where(init.file, init.node)} has a multi-line entry with a comment`);
  return `${type}{\n${body}\n${indent}}`;
}

/** The comment ending a standalone declaration's line, and where the replaced text must end. */
function lineComment(file: GoFile, spec: Node): { comment?: string; end: number } {
  const end = spec.endIndex;
  const src = file.source;
  const nl = src.indexOf('\n', end);
  const rest = src.slice(end, nl === -1 ? src.length : nl);
  if (rest.trim() === '') return { end };
  if (rest.trim().startsWith('//')) return { comment: rest.trim(), end: nl === -1 ? src.length : nl };
  throw new Decline(`its declaration (${where(file, spec)}) is followed by other code on its line`);
}

/** Declares the typed maps in place of the package-level variable. */
export function declareVar(e: Emit, init: Init | undefined): void {
  const { c } = e;
  const file = c.file;
  const spec = c.decl;
  const inGroup = spec.parent?.type === 'var_spec_list';
  const multiLine = spec.startPosition.row !== spec.endPosition.row;
  const standalone = !inGroup && e.maps.length > 1;
  const indent = inGroup ? indentAt(file.source, spec.startIndex) : standalone ? '\t' : '';
  const comment = inGroup ? trailingCommentOf(spec) : lineComment(file, spec).comment;
  if (comment === null || (comment !== undefined && multiLine)) throw new Decline('the comment after its declaration cannot be kept');
  const elems: NewElem[] = e.maps.map((t, i) => {
    const value = init ? initText(e, init, t, indent) : undefined;
    const type = init ? undefined : e.mapType(t.type, file, spec);
    return { desc: { names: t.name, type, value, comment: i === 0 ? comment : undefined }, rest: value ? value.split('\n').slice(1) : [] };
  });
  if (inGroup) {
    const edits = replaceInList(file, 'var', spec.parent!, spec, elems);
    if (!edits) throw new Decline('its var group cannot be laid out the way gofmt would');
    for (const x of edits) e.edit(file, x.start, x.end, x.text, true);
    return;
  }
  if (!standalone) {
    const d = elems[0].desc;
    e.edit(file, spec.startIndex, spec.endIndex, `${d.names}${d.type ? ` ${d.type}` : ''}${d.value !== undefined ? ` = ${d.value}` : ''}`);
    return;
  }
  const end = comment !== undefined ? lineComment(file, spec).end : spec.endIndex;
  const body = renderNew('var', elems, '\t');
  if (body === undefined) throw new Decline('the comment after its declaration cannot be kept');
  e.edit(file, spec.startIndex, end, `(\n${body}\n)`);
}

/** Declares one struct field per typed map in place of the original field. */
export function declareField(e: Emit): void {
  const { c } = e;
  const comment = trailingCommentOf(c.decl);
  if (comment === null) throw new Decline('the comment after the field cannot be kept');
  const elems: NewElem[] = e.maps.map((t, i) => ({
    desc: { names: t.name, type: e.mapType(t.type, c.file, c.decl), comment: i === 0 ? comment : undefined },
    rest: [],
  }));
  const list = c.decl.parent;
  const st = list?.parent;
  const fields = list?.namedChildren.filter((n) => n?.type === 'field_declaration') ?? [];
  if (list && st?.type === 'struct_type' && list.startPosition.row === list.endPosition.row && fields.length === 1 && list.namedChildCount === 1) {
    // `struct{ m map[string]any }`: gofmt keeps only one-field structs on one line.
    const indent = indentAt(c.file.source, st.startIndex);
    if (elems.length === 1) return e.edit(c.file, c.decl.startIndex, c.decl.endIndex, `${elems[0].desc.names} ${elems[0].desc.type}`);
    e.edit(c.file, st.startIndex, st.endIndex, `struct {\n${renderNew('field', elems, `${indent}\t`)!}\n${indent}}`);
    return;
  }
  const edits = list && replaceInList(c.file, 'field', list, c.decl, elems);
  if (!edits) throw new Decline(`the fields of ${c.structName} cannot be laid out the way gofmt would`);
  for (const x of edits) e.edit(c.file, x.start, x.end, x.text, true);
}

/** Rewrites `field: init` in a composite literal of the struct into one element per typed map. */
export function rewriteLiteralInit(e: Emit, file: GoFile, elem: Node, init: Init): void {
  const body = elem.parent!;
  if (body.startPosition.row === body.endPosition.row) {
    const text = e.maps.map((t) => `${t.name}: ${initText(e, init, t, '')}`).join(', ');
    e.edit(file, elem.startIndex, elem.endIndex, text);
    return;
  }
  const indent = indentAt(file.source, elem.startIndex);
  const comment = trailingCommentOf(elem);
  if (comment === null) throw new Decline(`the comment after ${where(file, elem)} cannot be kept`);
  const elems: NewElem[] = e.maps.map((t, i) => {
    const value = initText(e, init, t, indent);
    return { desc: { names: t.name, value, comment: i === 0 ? comment : undefined }, rest: value.split('\n').slice(1) };
  });
  const edits = replaceInList(file, 'literal', body, elem, elems);
  if (!edits) throw new Decline(`the composite literal at ${where(file, elem)} cannot be laid out the way gofmt would`);
  for (const x of edits) e.edit(file, x.start, x.end, x.text, true);
}
