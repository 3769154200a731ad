/**
 * Which of a package's types another package's interface call may run: a rapid type analysis
 * by syntax and text. An interface call `s.Flush(w)` in another package of the module runs an
 * implementation only if a value of that type reaches an interface somewhere; a type its package
 * never hands out (a second builder used only by its tests) is no target, however well its
 * methods match the interface.
 *
 * A type counts when the package's own code hands a value of it to an interface or a call
 * (`return &CPU{}` in a function whose result is an interface, `inputs.Add("cpu", …)` with such a
 * function, `register(&T{})`), or when another package of the module calls a function of the
 * package whose result is the type (`postings.NewBuilder(…)`).
 */
import type { Model } from '../../src/go/model.js';
import { enclosingFunc, field, kids, unparen } from '../../src/go/syntax.js';
import { underlying } from '../../src/go/types.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { spawnHint } from './module-gate.js';

/** Per package model: the answer per type name. */
const memo = new WeakMap<Model, Map<string, boolean>>();

/** True when a value of the package's type `name` may reach another package's interface call (see above). */
export function exposedType(target: Model, name: string): boolean {
  let byName = memo.get(target);
  if (!byName) memo.set(target, (byName = new Map()));
  let out = byName.get(name);
  if (out === undefined) {
    const ctors = constructors(target, name);
    out = handedOut(target, name, ctors) || madeElsewhere(target, ctors);
    byName.set(name, out);
  }
  return out;
}

/** The exported functions of the package whose result is `name` or `*name` (text: `func NewX(…) *X`). */
function constructors(target: Model, name: string): Set<string> {
  const out = new Set<string>();
  const re = new RegExp(`^func\\s+(\\p{Lu}[\\p{L}\\p{N}_]*)\\s*(?:\\[[^\\]]*\\])?\\([^)]*\\)\\s*\\(?\\s*\\*?${name}\\b`, 'gmu');
  for (const f of target.pkg.files) for (const m of f.source.matchAll(re)) out.add(m[1]);
  return out;
}

/** True when another package of the module calls one of the package's constructors of the type (`ctors`). */
function madeElsewhere(target: Model, ctors: Set<string>): boolean {
  const view = target.module;
  if (!view || !target.path || ctors.size === 0) return false;
  for (const p of view.index(spawnHint())) {
    if (p.importPath === target.path || !p.imports.has(target.path)) continue;
    const called = view.calledNames(p.importPath);
    for (const c of ctors) if (called.has(c)) return true;
  }
  return false;
}

/** True when the package's code passes a value of the type (made by a literal or one of `ctors`) to a call, or returns it from a function whose result is an interface. */
function handedOut(target: Model, name: string, ctors: Set<string>): boolean {
  for (const file of target.pkg.files) {
    if (!file.source.includes(name)) continue;
    const root = target.rootOf(file);
    for (const n of root.descendantsOfType(['composite_literal', 'call_expression'])) {
      if (!makes(n, name, ctors)) continue;
      let e: SyntaxNode = n;
      while (e.parent && (e.parent.type === 'parenthesized_expression' || (e.parent.type === 'unary_expression' && field(e.parent, 'operator')?.text === '&'))) e = e.parent;
      const p = e.parent;
      if (p?.type === 'argument_list') return true;
      if (p?.type === 'expression_list' && p.parent?.type === 'return_statement' && returnsInterface(target, p.parent, kids(p).findIndex((k) => k.equals(e)))) return true;
    }
  }
  return false;
}

/** True for `T{…}` (or `pkg.T[…]{…}`) and for a call of one of the type's constructors. */
function makes(n: SyntaxNode, name: string, ctors: Set<string>): boolean {
  if (n.type === 'composite_literal') {
    let t = field(n, 'type');
    if (t?.type === 'generic_type') t = field(t, 'type');
    return t?.type === 'type_identifier' && t.text === name;
  }
  const fn = unparen(field(n, 'function') ?? n);
  return fn.type === 'identifier' && ctors.has(fn.text);
}

/** True when the result at `position` of the function around a return statement has an interface type. */
function returnsInterface(target: Model, ret: SyntaxNode, position: number): boolean {
  const fn = enclosingFunc(ret);
  const result = fn && field(fn, 'result');
  if (!result || position < 0) return false;
  // One type per result: `(a, b T)` names two results of one type.
  const types: SyntaxNode[] = [];
  for (const d of result.type === 'parameter_list' ? kids(result) : [result]) {
    const t = d.type === 'parameter_declaration' ? field(d, 'type') : d;
    const names = d.type === 'parameter_declaration' ? kids(d).filter((k) => k.type === 'identifier').length : 0;
    for (let i = 0; i < Math.max(1, names); i++) if (t) types.push(t);
  }
  const t = types[position];
  try {
    return !!t && underlying(target.typeFromSyntax(t)).kind === 'interface';
  } catch {
    return false;
  }
}
