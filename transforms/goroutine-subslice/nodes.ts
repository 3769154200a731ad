/**
 * Small helpers over tree-sitter nodes shared by the goroutine-subslice modules.
 *
 * tree-sitter puts comments anywhere among named children (inside argument lists too), so every
 * positional question (which argument, which statement) goes through `kids`, which drops them.
 */
import type { Node } from '../../src/types.js';

/** Named children without nulls and without comments (which tree-sitter puts anywhere). */
export function kids(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') : [];
}

/** The fields of one name, without nulls. */
export function fields(node: Node, name: string): Node[] {
  return node.childrenForFieldName(name).filter((n): n is Node => !!n);
}

/** Node wrappers are created afresh on every access: compare by id, never by `===`. */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** Where a goroutine's code, or the parent's, begins and ends. */
export const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** The innermost function node (declaration or literal) around `node`. */
export function enclosingFunc(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNC_TYPES.has(n.type)) return n;
  return undefined;
}

/** Every identifier under `node` with the given names, in source order. */
export function identsNamed(node: Node, names: ReadonlySet<string>): Node[] {
  return node.descendantsOfType('identifier').filter((n): n is Node => !!n && names.has(n.text));
}
