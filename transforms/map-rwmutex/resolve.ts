/**
 * What a local identifier refers to, answered by the shared model (`objectOf`): map-rwmutex must
 * find every use of a package-level map and only those, so a local or a parameter of the same
 * name shadows it.
 */
import type { Node } from './tree.js';
import { modelOf } from './tree.js';
import { ancestor, enclosingFunc } from '../../src/go/syntax.js';

const DECLARATIONS: ReadonlySet<string> = new Set(['var_declaration', 'const_declaration', 'type_declaration']);

/** True when `ident` refers to something declared inside a function (not a package-level object). */
export function declaredLocally(ident: Node): boolean {
  return declarationOf(ident) !== null;
}

/**
 * The node that declares the local `ident` refers to: the declaring statement (a `:=`, a `var` or
 * `const` declaration, or the spec for its own declaring name), a range or receive header, a type
 * switch, or the function for a parameter, result or receiver. Null for package-level objects,
 * imports, labels, Go's universe, and identifiers the model cannot resolve.
 */
export function declarationOf(ident: Node): Node | null {
  if (ident.type !== 'identifier') return null;
  const o = modelOf(ident).objectOf(ident);
  if (!o || o.pkgLevel || !o.decl || (o.kind !== 'var' && o.kind !== 'const' && o.kind !== 'type')) return null;
  const d = o.decl;
  if (o.param) return enclosingFunc(d) ?? null;
  if (d.type === 'var_spec' || d.type === 'const_spec' || d.type === 'type_spec' || d.type === 'type_alias') {
    if (o.ident === ident && d.type !== 'type_spec' && d.type !== 'type_alias') return d;
    return (d.parent && ancestor(d.parent, DECLARATIONS)) ?? d;
  }
  return d;
}
