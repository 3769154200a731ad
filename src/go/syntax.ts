/**
 * Syntax helpers written once for every analysis: named children, the statement or function around
 * a node, lines and indentation, parentheses. The structural helpers take either node kind: the
 * mirrored nodes the model uses (src/mirror.ts) or web-tree-sitter's own.
 */
import type { SyntaxNode } from '../mirror.js';

export type { SyntaxNode };

/** What both node kinds offer (web-tree-sitter's `Node` and the mirror's `SyntaxNode`). */
export interface AnyNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly parent: AnyNode | null;
  readonly namedChildren: (AnyNode | null)[];
  childForFieldName(name: string): AnyNode | null;
  childrenForFieldName(name: string): (AnyNode | null)[];
  descendantsOfType(types: string | string[]): (AnyNode | null)[];
}

/** Named children without nulls and without comments (which tree-sitter puts anywhere, even among arguments). */
export function kids<N extends AnyNode>(n: N | null | undefined): N[] {
  return n ? (n.namedChildren as (N | null)[]).filter((c): c is N => !!c && c.type !== 'comment') : [];
}

/** The child with the given field name. */
export function field<N extends AnyNode>(n: N, name: string): N | undefined {
  return (n.childForFieldName(name) as N | null) ?? undefined;
}

/** The children with the given field name, without nulls. */
export function fields<N extends AnyNode>(n: N, name: string): N[] {
  return (n.childrenForFieldName(name) as (N | null)[]).filter((c): c is N => !!c);
}

/** Same node. web-tree-sitter makes a new wrapper on every access: compare by id, never by `===`. */
export function sameNode(a: AnyNode | null | undefined, b: AnyNode | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** Every identifier under `n` with one of the given names, in source order. */
export function identsNamed<N extends AnyNode>(n: N, names: ReadonlySet<string>): N[] {
  return (n.descendantsOfType('identifier') as (N | null)[]).filter((c): c is N => !!c && names.has(c.text));
}

/** The expressions of an `expression_list` (or the node itself when it is a single expression). */
export function exprList(n: SyntaxNode | undefined | null): SyntaxNode[] {
  if (!n) return [];
  return n.type === 'expression_list' ? kids(n) : [n];
}

/** The expression inside any number of parentheses. */
export function unparen(n: SyntaxNode): SyntaxNode {
  while ((n.type === 'parenthesized_expression' || n.type === 'parenthesized_type') && kids(n).length === 1) n = kids(n)[0];
  return n;
}

/** The parent of `n` above any parentheses around it, with the outermost parenthesised form of `n`. */
export function parentOutsideParens(n: SyntaxNode): [SyntaxNode, SyntaxNode | null] {
  let p = n.parent;
  while (p?.type === 'parenthesized_expression') {
    n = p;
    p = p.parent;
  }
  return [n, p];
}

export const FUNC_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);
/** The same types as a frozen list, for `SyntaxNode.closest` (whose masks are kept by the list). */
export const FUNC_TYPE_LIST: readonly string[] = Object.freeze([...FUNC_TYPES]);

/** The innermost function declaration or literal containing `n` (not `n` itself). */
export function enclosingFunc<N extends AnyNode>(n: N): N | undefined {
  // A mirrored node climbs its arrays (see SyntaxNode.closest); a web-tree-sitter node its parents.
  if ('closest' in n) return ((n as unknown as SyntaxNode).closest(FUNC_TYPE_LIST) as unknown as N | null) ?? undefined;
  for (let p = n.parent as N | null; p; p = p.parent as N | null) if (FUNC_TYPES.has(p.type)) return p;
  return undefined;
}

/** The top-level declaration containing `n`. */
export function topLevelDecl(n: SyntaxNode): SyntaxNode | undefined {
  // A mirrored node climbs its tree's arrays (no object for the nodes in between).
  if (typeof n.childOfNearest === 'function') return n.childOfNearest('source_file') ?? undefined;
  let p: SyntaxNode | null = n;
  while (p && p.parent && p.parent.type !== 'source_file') p = p.parent;
  return p && p.parent ? p : undefined;
}

/** The nearest ancestor (or `n`) whose type is one of `types`. */
export function ancestor(n: SyntaxNode, types: string | ReadonlySet<string>): SyntaxNode | undefined {
  for (let p: SyntaxNode | null = n; p; p = p.parent) if (typeof types === 'string' ? p.type === types : types.has(p.type)) return p;
  return undefined;
}

/** The statement containing `n` that sits directly in a statement list. */
export function enclosingStatement(n: SyntaxNode): SyntaxNode | undefined {
  for (let p: SyntaxNode | null = n; p && p.parent; p = p.parent) if (p.parent.type === 'statement_list' || p.parent.type === 'source_file') return p;
  return undefined;
}

/** True when `inner` lies within `outer` (same tree). */
export function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.tree === inner.tree && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Index of the start of the line holding `index`. */
export function lineStart(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

/** The indentation (leading blanks) of the line holding `index`. */
export function indentAt(source: string, index: number): string {
  const s = lineStart(source, index);
  return /^[ \t]*/.exec(source.slice(s, s + 200))![0];
}

/** True when the node has an anonymous child token with this text (`:=`, `...`, `*`). */
export function hasToken(n: SyntaxNode, token: string): boolean {
  return n.children.some((c) => !c.isNamed && c.type === token);
}
