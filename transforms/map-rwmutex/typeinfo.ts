/**
 * Just enough type information to resolve a method call: a local's struct type from its
 * declaration (a receiver or parameter type, `&T{}`, `T{}`, `new(T)`, a constructor returning
 * `*T`). Used where over-approximating would cost precision: reachability of goroutine code.
 */
import type { GoFile, Node } from './tree.js';
import type { Func, PackageIndex } from './model.js';
import { declarationOf } from './scope.js';
import { descendants, FUNCTION_TYPES, innerExpr, namedKids } from './syntax.js';

/** The base name of a type expression: `T` for `T`, `*T`, `T[K]`, `*T[K]`. */
export function baseTypeName(t: Node | null): string | undefined {
  let n = t;
  if (n?.type === 'pointer_type') n = namedKids(n)[0] ?? null;
  if (n?.type === 'generic_type') n = n.childForFieldName('type');
  return n?.type === 'type_identifier' ? n.text : undefined;
}

/** The type an expression builds: `&T{}`, `T{}`, `new(T)`, or a call of a package function returning `*T`. */
function typeOfValue(index: PackageIndex, v: Node | null): string | undefined {
  let e = innerExpr(v);
  if (e?.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') e = innerExpr(e.childForFieldName('operand'));
  if (e?.type === 'composite_literal') return baseTypeName(e.childForFieldName('type'));
  if (e?.type === 'call_expression') {
    const fn = innerExpr(e.childForFieldName('function'));
    if (fn?.text === 'new') return baseTypeName(namedKids(e.childForFieldName('arguments'))[0] ?? null);
    const decls = fn?.type === 'identifier' ? index.funcs.get(fn.text) : undefined;
    if (decls?.length === 1) return baseTypeName(decls[0].node.childForFieldName('result'));
  }
  return undefined;
}

/** The struct type name of a local variable, when its declaration shows it. */
export function localTypeName(index: PackageIndex, ident: Node): string | undefined {
  const decl = declarationOf(ident);
  if (!decl) return undefined;
  if (FUNCTION_TYPES.has(decl.type)) {
    for (const list of ['receiver', 'parameters']) {
      for (const p of namedKids(decl.childForFieldName(list))) {
        if (namedKids(p).some((n) => n.type === 'identifier' && n.text === ident.text)) return baseTypeName(p.childForFieldName('type'));
      }
    }
    return undefined;
  }
  const spec = decl.type === 'var_declaration' ? descendants(decl, 'var_spec').find((s) => namedKids(s).some((n) => n.type === 'identifier' && n.text === ident.text)) : decl;
  if (spec?.type === 'var_spec') {
    const t = baseTypeName(spec.childForFieldName('type'));
    return t ?? typeOfValue(index, namedKids(spec.childForFieldName('value'))[0] ?? null);
  }
  if (spec?.type === 'short_var_declaration') {
    const left = namedKids(spec.childForFieldName('left'));
    const right = namedKids(spec.childForFieldName('right'));
    const i = left.findIndex((n) => n.text === ident.text);
    if (i >= 0 && right.length === left.length) return typeOfValue(index, right[i]);
  }
  return undefined;
}

/**
 * The methods a call `x.m(…)` certainly may run, for reachability: the only method named `m`, or
 * those of `x`'s type when its declaration shows it; none when that is unknown.
 */
export function preciseMethods(index: PackageIndex, file: GoFile, selector: Node): Func[] {
  const name = selector.childForFieldName('field')?.text ?? '';
  const all = index.methods.get(name) ?? [];
  if (all.length <= 1) return all;
  const operand = innerExpr(selector.childForFieldName('operand'));
  if (operand?.type !== 'identifier') return [];
  const t = localTypeName(index, operand);
  return t ? all.filter((m) => m.recvType === t) : [];
}
