/**
 * Variables bound to a subslice: `preview := items[:limit]`, assigned once and never again.
 *
 * Only such a variable is treated as "a subslice" when it reaches a goroutine: if the function
 * may re-assign it, the value the goroutine sees is not known, and turning a captured variable into
 * a parameter would change which assignment the goroutine observes.
 */
import { contains, enclosingFunc, kids, parentOutsideParens, sameNode, topLevelDecl, unparen } from '../../src/go/syntax.js';
import type { Analysis } from './goroutine.js';
import { objOf } from './goroutine.js';
import { initOf, isDef } from '../../src/go/locals.js';
import type { Obj } from '../../src/go/objects.js';
import type { SyntaxNode } from '../../src/mirror.js';

/** The value a local of the function is bound to, when it is bound alone and never assigned again. */
export function onceBound(d: Obj | undefined, an: Analysis, value = d && initOf(d)): SyntaxNode | undefined {
  if (!d || d.pkgLevel || !d.decl) return undefined;
  const fn = value && enclosingFunc(d.decl);
  return fn && !isReassigned(d, fn, an) ? value : undefined;
}

/** The slice expression a local is bound to, when it is assigned exactly once (at its declaration). */
export function boundSlice(d: Obj | undefined, an: Analysis): SyntaxNode | undefined {
  const init = d && !d.pkgLevel ? initOf(d) : undefined;
  if (!init || unparen(init).type !== 'slice_expression') return undefined;
  const value = onceBound(d, an);
  return value ? unparen(value) : undefined;
}

/**
 * True when the variable is assigned anywhere after its declaration, has its address taken, or is
 * re-declared with `:=` in its own block (which assigns it).
 */
export function isReassigned(d: Obj, fn: SyntaxNode, an: Analysis): boolean {
  for (const use of an.model.usesOf(d)) {
    if (!contains(fn, use)) continue;
    const p = parentOutsideParens(use)[1];
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

/** True when `d` is declared outside `lit`. */
export function capturedBy(lit: SyntaxNode, d: Obj): boolean {
  return !!d.ident && !(d.ident.startIndex >= lit.startIndex && d.ident.endIndex <= lit.endIndex);
}

/**
 * Names that some `:=` or `var` of the function around `at` binds to a slice expression: only
 * those can name a captured subslice, so other identifiers need no scope walk. Kept per function.
 */
function sliceBoundNames(at: SyntaxNode, an: Analysis): Set<string> {
  const scope = topLevelDecl(at) ?? at;
  const key = `slice-bound:${scope.id}`;
  const known = an.memo.get(key) as Set<string> | undefined;
  if (known) return known;
  const names = new Set<string>();
  for (const d of scope.descendantsOfType(['short_var_declaration', 'var_spec'])) {
    if (!d) continue;
    const values = kids(d.childForFieldName(d.type === 'short_var_declaration' ? 'right' : 'value'));
    if (!values.some((v) => unparen(v).type === 'slice_expression')) continue;
    const left = d.type === 'short_var_declaration' ? kids(d.childForFieldName('left')) : d.childrenForFieldName('name');
    for (const n of left) if (n?.type === 'identifier') names.add(n.text);
  }
  an.memo.set(key, names);
  return names;
}

/**
 * Locals declared outside `lit` that its body reads and that are bound to a subslice, each with
 * its first use inside the literal, in source order.
 */
export function capturedSubslices(lit: SyntaxNode, an: Analysis): { decl: Obj; slice: SyntaxNode; firstUse: SyntaxNode }[] {
  const body = lit.childForFieldName('body');
  if (!body) return [];
  const out: { decl: Obj; slice: SyntaxNode; firstUse: SyntaxNode }[] = [];
  const seen = new Set<Obj>();
  const bound = sliceBoundNames(lit, an);
  for (const ident of body.descendantsOfType('identifier')) {
    if (!ident || !bound.has(ident.text) || isDef(an.model, ident)) continue;
    const d = objOf(an, ident);
    if (!d || d.pkgLevel || !d.ident || !initOf(d)) continue;
    if (!an.model.isCaptured(ident) || !capturedBy(lit, d)) continue;
    if (seen.has(d)) continue;
    seen.add(d);
    const slice = boundSlice(d, an);
    if (slice) out.push({ decl: d, slice, firstUse: ident });
  }
  return out;
}
