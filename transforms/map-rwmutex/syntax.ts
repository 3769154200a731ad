/**
 * Small syntax helpers for map-rwmutex over tree-sitter-go 0.25 nodes, beside the shared ones
 * (src/go/syntax.ts: `kids`, `field`, `enclosingFunc`, `lineStart`, `indentAt`, …).
 *
 * Node objects are re-created on every access in web-tree-sitter, so identity is by position: a
 * key made of the file path, the node type and its range. Everything here is pure and tolerates
 * ERROR nodes (it only reads types, fields and text).
 */
import { enclosingFunc, FUNC_TYPE_LIST, FUNC_TYPES, lineStart, parentOutsideParens } from '../../src/go/syntax.js';
import { lineIndexOf } from '../../src/lines.js';
import type { GoFile, Node } from './tree.js';

export { indentAt, lineStart } from '../../src/go/syntax.js';

/** A stable identity for a node of one file (Node objects are not reused by web-tree-sitter). */
export function nodeKey(file: GoFile, node: Node): string {
  return `${file.path}#${node.type}#${node.startIndex}#${node.endIndex}`;
}

/** True when `inner` lies within `outer` (same tree assumed). */
export function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Skips parentheses upward: the node a parenthesised expression stands for in its context. */
export function outerExpr(node: Node): Node {
  return parentOutsideParens(node)[0];
}

/** Skips parentheses downward. */
export function innerExpr(node: Node | null): Node | null {
  let n = node;
  while (n && n.type === 'parenthesized_expression') n = n.namedChildren.find((c) => !!c && c.type !== 'comment') ?? null;
  return n;
}

/** Node types that open a function body. */
export const FUNCTION_TYPES = FUNC_TYPES;

/** The same types as a frozen list, for `SyntaxNode.closest`. */
export const FUNCTION_TYPE_LIST = FUNC_TYPE_LIST;

/** The innermost function (declaration or literal) around a node, or null at package level. */
export function enclosingFunction(node: Node): Node | null {
  return enclosingFunc(node) ?? null;
}

/** End of the line holding `index` (the index of its newline, or the text's end). */
export function lineEnd(source: string, index: number): number {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? source.length : nl;
}

/** True when only white space precedes `node` on its line. */
export function startsLine(source: string, node: Node): boolean {
  return source.slice(lineStart(source, node.startIndex), node.startIndex).trim() === '';
}

/** 1-based line number of an index, for messages. */
export function lineOf(source: string, index: number): number {
  return lineIndexOf(source).position(index).line;
}

/** True for an exported Go identifier. */
export function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/**
 * Whole-file searches already made, per tree and type list: the analysis asks the same question of
 * a file's root once per candidate map, and each search walks the entire tree.
 */
const rootSearches = new WeakMap<object, Map<string, Node[]>>();

/** All descendants of the given types, in document order, skipping nulls. */
export function descendants(node: Node, types: string | string[]): Node[] {
  if (node.type !== 'source_file') return node.descendantsOfType(types);
  let byTypes = rootSearches.get(node.tree);
  if (!byTypes) {
    byTypes = new Map();
    rootSearches.set(node.tree, byTypes);
  }
  const key = typeof types === 'string' ? types : types.join(' ');
  let found = byTypes.get(key);
  if (!found) {
    found = node.descendantsOfType(types);
    byTypes.set(key, found);
  }
  return found;
}

/** The named children that are not comments. */
export function namedKids(node: Node | null): readonly Node[] {
  if (!node) return [];
  const kids = node.namedChildren;
  // Most lists hold no comment: hand out the node's own (cached) list then, unchanged.
  return kids.some((c) => c.type === 'comment') ? kids.filter((c) => c.type !== 'comment') : kids;
}

/** The name a call's callee is known by: `f` for `f(x)`, `m` for `x.m(y)`, '' otherwise. */
export function calleeName(call: Node): string {
  const fn = innerExpr(call.childForFieldName('function'));
  if (!fn) return '';
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'selector_expression') return fn.childForFieldName('field')?.text ?? '';
  return '';
}

/** The arguments of a call, without comments. */
export function callArgs(call: Node): readonly Node[] {
  return namedKids(call.childForFieldName('arguments'));
}

/** Statements an unlabelled `break` leaves (a `continue` only leaves a `for`). */
export const LOOP_OR_SWITCH = new Set(['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);
