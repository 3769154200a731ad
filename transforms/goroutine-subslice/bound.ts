/**
 * Variables bound to a subslice: `preview := items[:limit]`, assigned once and never again.
 *
 * Only such a variable is treated as "a subslice" when it reaches a goroutine: if the function
 * may re-assign it, the value the goroutine sees is not known, and turning a captured variable into
 * a parameter would change which assignment the goroutine observes.
 */
import type { Node } from '../../src/types.js';
import { enclosingFunc, identsNamed, kids, sameNode } from '../../src/go/syntax.js';
import type { PkgIndex } from './pkgindex.js';
import { declares, declKey, lookupLocal, resolve } from './scope.js';
import type { Decl } from './scope.js';

function unparen(e: Node | undefined): Node | undefined {
  while (e && e.type === 'parenthesized_expression') e = kids(e)[0];
  return e;
}

/** The slice expression a local is bound to, when it is assigned exactly once (at its declaration). */
export function boundSlice(d: Decl | undefined, idx: PkgIndex): Node | undefined {
  if (!d || (d.kind !== 'short' && d.kind !== 'var')) return undefined;
  const left = d.kind === 'short' ? kids(d.stmt.childForFieldName('left')) : d.stmt.childrenForFieldName('name');
  const values = kids(d.stmt.childForFieldName(d.kind === 'short' ? 'right' : 'value'));
  if (left.length !== values.length) return undefined;
  const value = unparen(values[d.index]);
  if (value?.type !== 'slice_expression') return undefined;
  const fn = enclosingFunc(d.stmt);
  return fn && !isReassigned(d, fn, idx) ? value : undefined;
}

/**
 * True when the variable is assigned anywhere after its declaration, has its address taken, or is
 * re-declared with `:=` in its own block (which assigns it).
 */
export function isReassigned(d: Decl, fn: Node, idx: PkgIndex): boolean {
  const key = declKey(d);
  for (const ident of identsNamed(fn, new Set([d.name.text]))) {
    if (sameNode(ident, d.name) || declares(ident)) continue;
    const r = resolve(ident, idx);
    if (!r || declKey(r) !== key) continue;
    let e = ident;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    const p = e.parent;
    if (!p) continue;
    if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '&') return true;
    if (p.type === 'expression_list') {
      const stmt = p.parent;
      const isLeft = stmt && sameNode(stmt.childForFieldName('left'), p);
      if (isLeft && (stmt.type === 'assignment_statement' || stmt.type === 'short_var_declaration' || stmt.type === 'range_clause' || stmt.type === 'receive_statement')) return true;
    }
  }
  return false;
}

/**
 * Names that some `:=` or `var` of the function around `at` binds to a slice expression: only
 * those can name a captured subslice, so other identifiers need no scope walk. Kept per function.
 */
function sliceBoundNames(at: Node, idx: PkgIndex): Set<string> {
  let scope = at;
  while (scope.parent && scope.type !== 'function_declaration' && scope.type !== 'method_declaration') scope = scope.parent;
  const key = `slice-bound:${scope.id}`;
  const known = idx.memo.get(key) as Set<string> | undefined;
  if (known) return known;
  const names = new Set<string>();
  for (const d of scope.descendantsOfType(['short_var_declaration', 'var_spec'])) {
    if (!d) continue;
    const values = kids(d.childForFieldName(d.type === 'short_var_declaration' ? 'right' : 'value'));
    if (!values.some((v) => unparen(v)?.type === 'slice_expression')) continue;
    const left = d.type === 'short_var_declaration' ? kids(d.childForFieldName('left')) : d.childrenForFieldName('name');
    for (const n of left) if (n?.type === 'identifier') names.add(n.text);
  }
  idx.memo.set(key, names);
  return names;
}

/**
 * Locals declared outside `lit` that its body reads and that are bound to a subslice, each with
 * its first use inside the literal, in source order.
 */
export function capturedSubslices(lit: Node, idx: PkgIndex): { decl: Decl; slice: Node; firstUse: Node }[] {
  const body = lit.childForFieldName('body');
  if (!body) return [];
  const out: { decl: Decl; slice: Node; firstUse: Node }[] = [];
  const seen = new Set<string>();
  const bound = sliceBoundNames(lit, idx);
  for (const ident of body.descendantsOfType('identifier')) {
    if (!ident || !bound.has(ident.text) || declares(ident)) continue;
    // Only locals can be bound to a subslice: package-level names need no lookup in other files.
    const d = lookupLocal(ident.text, ident);
    if (!d || (d.kind !== 'short' && d.kind !== 'var')) continue;
    if (d.name.startIndex >= lit.startIndex && d.name.endIndex <= lit.endIndex) continue;
    const key = declKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    const slice = boundSlice(d, idx);
    if (slice) out.push({ decl: d, slice, firstUse: ident });
  }
  return out;
}
