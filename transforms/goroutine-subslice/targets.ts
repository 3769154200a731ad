/**
 * What the parent-side scan tracks: variables, or field paths from them (`s.buf`), whose backing
 * array a goroutine was handed. Two mentions name the same target only when they resolve to the
 * same declaration, so a shadowing `buf :=` in an inner block is a different buffer.
 */
import type { Node } from '../../src/types.js';
import { kids } from '../../src/go/syntax.js';
import type { PkgIndex } from './pkgindex.js';
import { declKey, resolve } from './scope.js';
import type { Decl } from './scope.js';

/** A variable, or a field path from one (`s.buf`), whose array the goroutine reads. */
export interface Target {
  root: Decl;
  path: string[];
  text: string;
  /** An array value: assigning the variable itself overwrites the shared memory. */
  isArray: boolean;
  /** The target owns the memory a view points into: calls of these methods on it reuse that memory. */
  reuses?: RegExp;
}


/** `x`, `x.f.g` or `(x)`: the target an expression names, if it is one. */
export function targetOf(expr: Node | null | undefined, idx: PkgIndex, roots?: Set<string>): Omit<Target, 'isArray'> | undefined {
  if (!expr) return undefined;
  if (expr.type === 'parenthesized_expression') return targetOf(kids(expr)[0], idx, roots);
  if (expr.type === 'identifier') {
    if (roots && !roots.has(expr.text)) return undefined;
    const d = resolve(expr, idx);
    return d && d.kind !== 'package-other' ? { root: d, path: [], text: expr.text } : undefined;
  }
  if (expr.type === 'selector_expression') {
    const inner = targetOf(expr.childForFieldName('operand'), idx, roots);
    const field = expr.childForFieldName('field')?.text;
    return inner && field ? { root: inner.root, path: [...inner.path, field], text: `${inner.text}.${field}` } : undefined;
  }
  return undefined;
}

/** Same root declaration, same field path. */
export function sameTarget(a: Omit<Target, 'isArray'>, b: Omit<Target, 'isArray'>): boolean {
  return declKey(a.root) === declKey(b.root) && a.path.length === b.path.length && a.path.every((p, i) => p === b.path[i]);
}

/** Strips parentheses and subslicing: `buf[a:b]` names buf's array. */
export function sliceRoot(e: Node): Node {
  for (;;) {
    if (e.type === 'parenthesized_expression' && kids(e)[0]) e = kids(e)[0];
    else if (e.type === 'slice_expression' && e.childForFieldName('operand')) e = e.childForFieldName('operand')!;
    else return e;
  }
}

