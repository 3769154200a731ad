/**
 * Types of type expressions, of objects and of expressions. Every answer is a real type or an
 * explicit `unknown` with the reason; nothing is guessed from names.
 */
import type { SyntaxNode } from '../mirror.js';
import type { Obj } from './objects.js';
import { isUniverse } from './objects.js';
import { exprList, field, hasToken, kids, unparen } from './syntax.js';
import { basic, hasUnknown, pointer, underlying, unknown } from './types.js';
import type { Type } from './types.js';

/** What type computation needs from the model. */
export interface TypeEnv {
  objectOf(ident: SyntaxNode): Obj | undefined;
  /** A field or method of `t` named `name`, promoted through embedding. */
  selection(t: Type, name: string): { type: Type; kind: 'field' | 'method' } | undefined;
  /** The type `pkg.name` denotes, when another package's `name` is known to be a type. */
  externalType(pkg: string, name: string): Type | undefined;
  /** The type of the value `pkg.name` (a function, variable or constant of another package), when known. */
  externalValue(pkg: string, name: string): Type | undefined;
  /** Declared methods of a named type of this package. */
  methodsOf(name: string): Obj[];
  /** Import path of this package ('' when not known): the `pkg` of its named types. */
  readonly path: string;
  /** The package's name (its package clause). */
  readonly pkg: { name: string };
  typeOf(expr: SyntaxNode): Type;
  typeOfObj(o: Obj): Type;
}

const UNIVERSE_TYPES: Record<string, () => Type> = {
  error: () => ({ kind: 'named', name: 'error', pkg: '', underlying: () => ({ kind: 'interface', embeds: [], methods: [{ name: 'Error', type: { kind: 'func', params: [], results: [basic('string')], variadic: false } }] }) }),
  any: () => ({ kind: 'interface', methods: [], embeds: [] }),
  comparable: () => ({ kind: 'interface', methods: [], embeds: [] }),
};

/** The type a universe type name denotes. */
export function universeType(name: string): Type {
  return UNIVERSE_TYPES[name]?.() ?? basic(name === 'byte' ? 'uint8' : name === 'rune' ? 'int32' : name);
}

/** The type a named type declaration (type_spec) denotes; aliases are followed. */
export function declaredType(env: TypeEnv, o: Obj): Type {
  if (isUniverse(o)) return universeType(o.name);
  const d = o.decl;
  if (!d) return unknown(`type ${o.name} of another package`);
  if (d.type === 'type_alias') {
    const t = field(d, 'type');
    return t ? typeExpr(env, t) : unknown('alias without a type');
  }
  if (d.type === 'type_spec') {
    let under: Type | undefined;
    const t = field(d, 'type');
    return {
      kind: 'named',
      name: o.name,
      pkg: o.pkgLevel ? env.path : '',
      pkgName: o.pkgLevel && env.path ? env.pkg.name : undefined,
      node: o.ident,
      underlying: () => (under ??= t ? underlying(typeExpr(env, t)) : unknown('no type')),
      members: () => (o.pkgLevel ? env.methodsOf(o.name).map((m) => ({ obj: m, type: env.typeOfObj(m) })) : []),
    };
  }
  return { kind: 'typeparam', name: o.name, node: o.ident };
}

/** The type a type expression denotes. */
export function typeExpr(env: TypeEnv, n: SyntaxNode): Type {
  n = unparen(n);
  switch (n.type) {
    case 'type_identifier':
    case 'identifier': {
      const o = env.objectOf(n);
      if (!o) return unknown(`unresolved type ${n.text}`);
      if (o.kind !== 'type') return unknown(`${n.text} is not a type`);
      return env.typeOfObj(o);
    }
    case 'qualified_type':
    case 'selector_expression': {
      const p = field(n, n.type === 'qualified_type' ? 'package' : 'operand');
      const name = field(n, n.type === 'qualified_type' ? 'name' : 'field');
      const po = p && env.objectOf(p);
      if (!po || po.kind !== 'pkgname' || !name) return unknown(`unresolved type ${n.text}`);
      const pkg = po.pkg!;
      return env.externalType(pkg, name.text) ?? { kind: 'named', name: name.text, pkg, underlying: () => unknown(`type ${n.text} of another package`) };
    }
    case 'generic_type': {
      const base = field(n, 'type');
      const t = base ? typeExpr(env, base) : unknown('generic');
      const argList = field(n, 'type_arguments');
      const args = argList ? kids(argList).map((a) => typeExpr(env, a.type === 'type_elem' ? kids(a)[0] ?? a : a)) : [];
      return t.kind === 'named' ? { ...t, args } : t;
    }
    case 'type_elem':
      return kids(n).length === 1 ? typeExpr(env, kids(n)[0]) : unknown('type union');
    case 'pointer_type':
      return pointer(typeExpr(env, kids(n)[0]));
    case 'slice_type':
      return { kind: 'slice', elem: typeExpr(env, field(n, 'element')!) };
    case 'array_type':
      return { kind: 'array', elem: typeExpr(env, field(n, 'element')!), len: field(n, 'length')?.text ?? '?' };
    case 'implicit_length_array_type':
      return { kind: 'array', elem: typeExpr(env, field(n, 'element')!), len: '...' };
    case 'map_type':
      return { kind: 'map', key: typeExpr(env, field(n, 'key')!), elem: typeExpr(env, field(n, 'value')!) };
    case 'channel_type': {
      const text = n.text;
      return { kind: 'chan', elem: typeExpr(env, field(n, 'value')!), dir: text.startsWith('<-') ? 'recv' : /^chan\s*<-/.test(text) ? 'send' : 'both' };
    }
    case 'function_type':
      return signature(env, n);
    case 'struct_type': {
      const list = kids(n)[0];
      const fields = [];
      for (const fd of list ? kids(list) : []) {
        if (fd.type !== 'field_declaration') continue;
        const tn = field(fd, 'type');
        const ft = tn ? typeExpr(env, tn) : unknown('field type');
        const names = fd.childrenForFieldName('name');
        if (names.length === 0) {
          const ptr = tn?.type === 'pointer_type' ? kids(tn)[0] : tn;
          const nameNode = ptr?.type === 'generic_type' ? field(ptr, 'type') : ptr;
          const name = nameNode?.type === 'qualified_type' ? field(nameNode, 'name')?.text ?? '' : nameNode?.text ?? '';
          fields.push({ name, type: ft, embedded: true, node: tn });
        } else for (const nm of names) fields.push({ name: nm.text, type: ft, embedded: false, node: nm });
      }
      return { kind: 'struct', fields };
    }
    case 'interface_type': {
      const methods = [];
      const embeds = [];
      for (const e of kids(n)) {
        if (e.type === 'method_elem') methods.push({ name: field(e, 'name')?.text ?? '', type: signature(env, e), node: e });
        else if (e.type === 'type_elem') embeds.push(typeExpr(env, e));
      }
      return { kind: 'interface', methods, embeds };
    }
  }
  return unknown(`type syntax ${n.type}`);
}

/** The signature of a function declaration, method, literal, func type or interface method. */
export function signature(env: TypeEnv, n: SyntaxNode): Extract<Type, { kind: 'func' }> {
  const list = (l: SyntaxNode | undefined): { types: Type[]; variadic: boolean } => {
    if (!l) return { types: [], variadic: false };
    if (l.type !== 'parameter_list') return { types: [typeExpr(env, l)], variadic: false };
    const types: Type[] = [];
    let variadic = false;
    for (const d of kids(l)) {
      const tn = field(d, 'type');
      let t = tn ? typeExpr(env, tn) : unknown('parameter type');
      if (d.type === 'variadic_parameter_declaration') {
        t = { kind: 'slice', elem: t };
        variadic = true;
      }
      const count = Math.max(1, d.childrenForFieldName('name').length);
      for (let i = 0; i < count; i++) types.push(t);
    }
    return { types, variadic };
  };
  const ps = list(field(n, 'parameters'));
  return { kind: 'func', params: ps.types, results: list(field(n, 'result')).types, variadic: ps.variadic, node: n };
}

/** The default type of an untyped constant's type (`1` → int). */
export function defaulted(t: Type): Type {
  if (t.kind !== 'basic' || !t.untyped) return t;
  return basic(t.name === 'rune' ? 'int32' : t.name);
}

/** The i-th type of a value that may be a tuple (multi-value call), for `a, b := f()`. */
function component(t: Type, i: number, count: number): Type {
  if (t.kind === 'tuple') return t.types[i] ?? unknown('too few results');
  return count === 1 || t.kind === 'unknown' ? t : unknown('multi-value');
}

/** Types of the values on the right of `a, b = rhs` when one expression gives several (comma-ok too). */
export function valuesOf(env: TypeEnv, rhs: SyntaxNode[], i: number, count: number): Type {
  if (rhs.length === count) return defaulted(env.typeOf(rhs[i]));
  if (rhs.length !== 1) return unknown('assignment count mismatch');
  const r = unparen(rhs[0]);
  if (count === 2 && i === 1 && (r.type === 'index_expression' || r.type === 'type_assertion_expression' || (r.type === 'unary_expression' && hasToken(r, '<-')))) return basic('bool');
  if (count === 2 && i === 0 && r.type !== 'call_expression') return env.typeOf(r);
  return component(env.typeOf(r), i, count);
}

/** The spec a constant spec without type or values repeats: the nearest one before it in its group that has either. */
function repeatedSpec(s: SyntaxNode): SyntaxNode | null {
  const sibs = s.parent?.children ?? [];
  for (let i = sibs.indexOf(s) - 1; i >= 0; i--) if (sibs[i].type === 'const_spec' && (field(sibs[i], 'type') || field(sibs[i], 'value'))) return sibs[i];
  return null;
}

/** The type of a variable, constant, function or method object; the denoted type of a type name. */
export function objType(env: TypeEnv, o: Obj): Type {
  if (o.kind === 'type') return declaredType(env, o);
  if (o.kind === 'nil') return basic('nil', true);
  if (o.kind === 'builtin') return unknown(`built-in ${o.name}`);
  if (o.kind === 'pkgname') return unknown('package name');
  if (o.kind === 'const' && !o.decl) return o.name === 'iota' ? basic('int', true) : basic('bool', true);
  const d = o.decl;
  if (!d) return o.pkg ? env.externalValue(o.pkg, o.name) ?? unknown(`${o.pkg}.${o.name}`) : unknown(o.name);
  switch (d.type) {
    case 'function_declaration':
    case 'method_declaration':
    case 'method_elem':
      return signature(env, d);
    case 'parameter_declaration':
    case 'variadic_parameter_declaration': {
      const tn = field(d, 'type');
      const t = tn ? typeExpr(env, tn) : unknown('parameter type');
      return d.type === 'variadic_parameter_declaration' ? { kind: 'slice', elem: t } : t;
    }
    case 'var_spec':
    case 'const_spec': {
      let spec: SyntaxNode | null = d;
      // A constant spec without type or values repeats the previous one's (iota).
      if (d.type === 'const_spec' && !field(d, 'type') && !field(d, 'value')) spec = repeatedSpec(d);
      if (!spec) return unknown('constant without value');
      const tn = field(spec, 'type');
      if (tn) return typeExpr(env, tn);
      const vals = exprList(field(spec, 'value'));
      const t = valuesOf(env, vals, o.index, d.childrenForFieldName('name').length);
      return o.kind === 'const' ? t : defaulted(t);
    }
    case 'field_declaration': {
      const tn = field(d, 'type');
      return tn ? typeExpr(env, tn) : unknown('field type');
    }
    case 'short_var_declaration':
      return valuesOf(env, exprList(field(d, 'right')), o.index, exprList(field(d, 'left')).length);
    case 'range_clause': {
      const r = field(d, 'right');
      const rt = r ? env.typeOf(r) : unknown('range');
      let u = underlying(rt);
      if (u.kind === 'pointer') u = underlying(u.elem);
      switch (u.kind) {
        case 'slice':
        case 'array':
          return o.index === 0 ? basic('int') : u.elem;
        case 'map':
          return o.index === 0 ? u.key : u.elem;
        case 'chan':
          return u.elem;
        case 'basic':
          return u.name === 'string' ? (o.index === 0 ? basic('int') : basic('int32')) : defaulted(rt);
        case 'func': {
          const yieldT = u.params[0] && underlying(u.params[0]);
          return yieldT?.kind === 'func' ? yieldT.params[o.index] ?? unknown('range func') : unknown('range func');
        }
      }
      return unknown(`range over ${u.kind === 'unknown' ? u.why : u.kind}`);
    }
    case 'receive_statement': {
      if (o.index === 1) return basic('bool');
      const r = field(d, 'right');
      return r ? env.typeOf(r) : unknown('receive');
    }
    case 'type_switch_statement': {
      const c = o.clause;
      const types = c && c.type === 'type_case' ? c.childrenForFieldName('type') : [];
      if (types.length === 1 && types[0].text !== 'nil') return typeExpr(env, types[0]);
      const v = field(d, 'value');
      return v ? env.typeOf(v) : unknown('type switch');
    }
  }
  return unknown(`declaration ${d.type}`);
}

export { hasUnknown };
