/**
 * The type a written expression stores in an interface map, from syntax alone: literals (with Go's
 * default types for untyped constants), conversions, composite literals, declared variables,
 * parameters, constants and struct fields, package functions with one result, and a few standard
 * library functions and constants. Everything else is unknown, and an unknown write stops the fix.
 */
import type { GoFile, Node } from '../../src/types.js';
import { canonType, elemOf, isConcrete, packageType, predeclared } from './gotypes.js';
import type { GoType } from './gotypes.js';
import { KNOWN_FUNCS, KNOWN_VALUES, duration, qualified } from './known.js';
import { redeclares, resolveLocal } from './scope.js';
import type { PkgIndex, TopDecl } from './symbols.js';

type Untyped = 'int' | 'rune' | 'float' | 'complex' | 'string' | 'bool';
type Inferred = { t: GoType } | { u: Untyped };

const basic = (name: string, canon = name): GoType => ({ canon, spelled: name });
const DEFAULT: Record<Untyped, GoType> = {
  int: basic('int'),
  rune: basic('rune', 'int32'),
  float: basic('float64'),
  complex: basic('complex128'),
  string: basic('string'),
  bool: basic('bool'),
};
const RANK: Untyped[] = ['int', 'rune', 'float', 'complex'];
const str = basic('string');

const COMPARISON = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** The concrete type `expr` stores in an interface, or undefined when it is not known for sure. */
export function storedType(idx: PkgIndex, file: GoFile, expr: Node): GoType | undefined {
  const r = infer(idx, file, expr, 0);
  if (!r) return undefined;
  const t = 't' in r ? r.t : DEFAULT[r.u];
  return isConcrete(idx, t) ? t : undefined;
}

/** The declared type of `expr` when it is known but not concrete (an interface): for messages. */
export function interfaceTypeOf(idx: PkgIndex, file: GoFile, expr: Node): GoType | undefined {
  const r = infer(idx, file, expr, 0);
  return r && 't' in r && !isConcrete(idx, r.t) ? r.t : undefined;
}

/** The static type of `expr` as far as gomend can tell, concrete or not. */
export function staticType(idx: PkgIndex, file: GoFile, expr: Node): GoType | undefined {
  const r = infer(idx, file, expr, 0);
  return r && 't' in r ? r.t : undefined;
}

function infer(idx: PkgIndex, file: GoFile, e: Node, depth: number): Inferred | undefined {
  if (depth > 12) return undefined;
  const rec = (n: Node | null | undefined): Inferred | undefined => (n ? infer(idx, file, n, depth + 1) : undefined);
  const typed = (n: Node | null): Inferred | undefined => {
    const t = canonType(idx, file, n);
    return t ? { t } : undefined;
  };
  switch (e.type) {
    case 'int_literal':
      return { u: 'int' };
    case 'float_literal':
      return { u: 'float' };
    case 'imaginary_literal':
      return { u: 'complex' };
    case 'rune_literal':
      return { u: 'rune' };
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return { u: 'string' };
    case 'true':
    case 'false':
      return predeclared(idx, e.type, e) ? { u: 'bool' } : undefined;
    case 'iota':
      return { u: 'int' };
    case 'parenthesized_expression':
      return rec(e.namedChildren[0]);
    case 'unary_expression': {
      const op = e.childForFieldName('operator')?.type;
      const x = e.childForFieldName('operand');
      if (op === '-' || op === '+' || op === '^' || op === '!') return rec(x);
      if (op === '&' && x?.type === 'composite_literal') {
        const t = rec(x);
        return t && 't' in t ? { t: { canon: `*${t.t.canon}`, spelled: `*${t.t.spelled}` } } : undefined;
      }
      if (op === '*') {
        const t = rec(x);
        return t && 't' in t && t.t.canon.startsWith('*') ? { t: { canon: t.t.canon.slice(1), spelled: t.t.spelled.slice(1) } } : undefined;
      }
      return undefined;
    }
    case 'binary_expression':
      return binary(e, rec);
    case 'call_expression':
      return call(idx, file, e, rec, typed);
    case 'type_conversion_expression':
      return typed(e.childForFieldName('type'));
    case 'composite_literal':
      return typed(e.childForFieldName('type'));
    case 'type_assertion_expression':
      return typed(e.childForFieldName('type'));
    case 'identifier':
      return identifier(idx, file, e, depth);
    case 'selector_expression':
      return selector(idx, file, e, rec);
    case 'index_expression': {
      const t = rec(e.childForFieldName('operand'));
      const el = t && 't' in t ? elemOf(t.t) : undefined;
      return el ? { t: el } : undefined;
    }
    case 'slice_expression': {
      const t = rec(e.childForFieldName('operand'));
      if (t && 'u' in t) return t.u === 'string' ? { t: str } : undefined;
      return t && (t.t.canon.startsWith('[]') || t.t.canon === 'string') ? t : undefined;
    }
    default:
      return undefined;
  }
}

function binary(e: Node, rec: (n: Node | null) => Inferred | undefined): Inferred | undefined {
  const op = e.childForFieldName('operator')?.type ?? '';
  if (COMPARISON.has(op)) return { u: 'bool' };
  const l = rec(e.childForFieldName('left'));
  if (op === '<<' || op === '>>') return l;
  const r = rec(e.childForFieldName('right'));
  if (l && 't' in l) return !r || 'u' in r || r.t.canon === l.t.canon ? l : undefined;
  if (r && 't' in r) return !l || 'u' in l ? r : undefined;
  if (!l || !r) return undefined;
  if (l.u === r.u) return l;
  const a = RANK.indexOf(l.u);
  const b = RANK.indexOf(r.u);
  return a >= 0 && b >= 0 ? { u: RANK[Math.max(a, b)] } : undefined;
}

function call(
  idx: PkgIndex,
  file: GoFile,
  e: Node,
  rec: (n: Node | null) => Inferred | undefined,
  typed: (n: Node | null) => Inferred | undefined,
): Inferred | undefined {
  const fn = e.childForFieldName('function');
  const args = e.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
  if (!fn || e.childForFieldName('type_arguments')) return undefined;
  if (fn.type === 'identifier') {
    const name = fn.text;
    if (predeclared(idx, name, fn)) {
      if (name === 'len' || name === 'cap' || name === 'copy') return { t: basic('int') };
      if (name === 'append' && args.length > 0) return rec(args[0]);
      if (name === 'make' && args.length > 0) return typed(args[0]);
      if (name === 'new' && args.length === 1) {
        const t = typed(args[0]);
        return t && 't' in t ? { t: { canon: `*${t.t.canon}`, spelled: `*${t.t.spelled}` } } : undefined;
      }
      if (args.length === 1 && /^(bool|string|u?int(8|16|32|64)?|uintptr|float(32|64)|complex(64|128)|byte|rune)$/.test(name)) {
        return { t: basic(name, name === 'byte' ? 'uint8' : name === 'rune' ? 'int32' : name) };
      }
      return undefined;
    }
    if (packageType(idx, name, fn) && args.length === 1) return { t: { canon: name, spelled: name } };
    if (resolveLocal(name, fn)) return undefined;
    const decls = idx.top.get(name);
    if (decls?.length === 1 && decls[0].kind === 'func') return resultOf(idx, decls[0]);
    return undefined;
  }
  if (fn.type === 'selector_expression') {
    const q = qualified(idx, file, fn);
    if (!q) return undefined;
    if (KNOWN_FUNCS[q]) return { t: KNOWN_FUNCS[q] };
    if (q === '"time".Duration' && args.length === 1) return { t: duration };
  }
  return undefined;
}

/** The single result type of a package function. */
function resultOf(idx: PkgIndex, d: TopDecl): Inferred | undefined {
  if (d.node.childForFieldName('type_parameters')) return undefined;
  let r = d.node.childForFieldName('result');
  if (r?.type === 'parameter_list') {
    const ps = r.namedChildren.filter((p): p is Node => !!p && p.type === 'parameter_declaration');
    if (ps.length !== 1 || ps[0].childrenForFieldName('name').length > 1) return undefined;
    r = ps[0].childForFieldName('type');
  }
  const t = canonType(idx, d.file, r);
  return t ? { t } : undefined;
}

function identifier(idx: PkgIndex, file: GoFile, e: Node, depth: number): Inferred | undefined {
  const name = e.text;
  const local = resolveLocal(name, e);
  if (local) {
    const n = local.node;
    switch (local.kind) {
      case 'param': {
        const t = canonType(idx, file, n.childForFieldName('type'));
        if (!t) return undefined;
        return n.type === 'variadic_parameter_declaration' ? { t: { canon: `[]${t.canon}`, spelled: `[]${t.spelled}` } } : { t };
      }
      case 'var':
      case 'const':
        return specType(idx, file, n, local.index, depth);
      case 'short': {
        if (redeclares(local, name)) return undefined;
        const left = n.childForFieldName('left')?.namedChildren ?? [];
        const right = n.childForFieldName('right')?.namedChildren ?? [];
        return left.length === right.length && right[local.index] ? infer(idx, file, right[local.index]!, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }
  const decls = idx.top.get(name);
  if (!decls || decls.length !== 1) return undefined;
  const d = decls[0];
  if (d.kind !== 'var' && d.kind !== 'const') return undefined;
  return specType(idx, d.file, d.node, d.index, depth);
}

/** The type of the `index`th name of a var or const spec, following implicit repetition in const groups. */
function specType(idx: PkgIndex, file: GoFile, spec: Node, index: number, depth: number): Inferred | undefined {
  let s: Node | null = spec;
  if (spec.type === 'const_spec') {
    while (s && s.type === 'const_spec' && !s.childForFieldName('value') && !s.childForFieldName('type')) s = s.previousNamedSibling;
    if (!s || s.type !== 'const_spec') return undefined;
  }
  const typeNode = s.childForFieldName('type');
  if (typeNode) {
    const t = canonType(idx, file, typeNode);
    return t ? { t } : undefined;
  }
  const values = s.childForFieldName('value')?.namedChildren ?? [];
  const names = s.childrenForFieldName('name').filter((n) => n?.type === 'identifier');
  if (values.length !== names.length || !values[index]) return undefined;
  return infer(idx, file, values[index]!, depth + 1);
}

function selector(idx: PkgIndex, file: GoFile, e: Node, rec: (n: Node | null) => Inferred | undefined): Inferred | undefined {
  const q = qualified(idx, file, e);
  if (q) return KNOWN_VALUES[q] ? { t: KNOWN_VALUES[q] } : undefined;
  const base = rec(e.childForFieldName('operand'));
  const field = e.childForFieldName('field')?.text;
  if (!base || !('t' in base) || !field) return undefined;
  const typeName = base.t.canon.replace(/^\*/, '');
  const decl = idx.top.get(typeName);
  if (!decl || decl.length !== 1 || decl[0].kind !== 'type') return undefined;
  const st = decl[0].node.childForFieldName('type');
  if (st?.type !== 'struct_type') return undefined;
  for (const f of st.descendantsOfType('field_declaration')) {
    if (!f || f.parent?.parent?.id !== st.id) continue;
    if (f.childrenForFieldName('name').some((n) => n?.text === field)) {
      const t = canonType(idx, decl[0].file, f.childForFieldName('type'));
      return t ? { t } : undefined;
    }
  }
  return undefined;
}
