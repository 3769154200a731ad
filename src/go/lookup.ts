/**
 * Fields and methods of a type, promoted through embedded fields as Go's selector rules have it
 * (the shallowest depth wins; two at the same depth are ambiguous and select nothing), and method
 * sets (a value type has its value-receiver methods; a pointer has both).
 */
import type { SyntaxNode } from '../mirror.js';
import type { Obj } from './objects.js';
import { parseType, STD_FIELDS, STD_FUNCS, STD_TYPE_PARAMS, stdFunc, stdResult } from './stdlib.js';
import { namedOf, underlying, unknown } from './types.js';
import type { Field, Method, Named, Type } from './types.js';

export interface Selection {
  kind: 'field' | 'method';
  name: string;
  type: Type;
  /** The field, for a field. */
  field?: Field;
  /** The method's object (declared in the package) or interface method. */
  method?: Obj;
  ifaceMethod?: Method;
  /** For a standard-library method, its key in the facts table (`bytes.(*Buffer).Bytes`). */
  std?: string;
  /** Embedded fields walked through to reach it, outermost first. */
  path: Field[];
  /** The named type declaring the member (for methods and fields of named structs). */
  owner?: Named;
}

/** Members of standard-library types, from the facts table (src/go/stdlib.ts); a generic type's `$T` takes its type argument. */
function stdMembers(n: Named, name: string): Selection[] {
  if (!n.pkg || n.members) return [];
  const f = stdFunc(n.pkg, name, n.name);
  if (f) {
    const key = STD_FUNCS[`${n.pkg}.(*${n.name}).${name}`] === f ? `${n.pkg}.(*${n.name}).${name}` : `${n.pkg}.${n.name}.${name}`;
    const params = STD_TYPE_PARAMS[`${n.pkg}.${n.name}`] ?? [];
    const args = new Map<string, Type>();
    params.forEach((p, i) => args.set(p, n.args?.[i] ?? unknown(`type argument ${p} of ${n.pkg}.${n.name}`)));
    const r = substitute(stdResult(f, key), args);
    return [{ kind: 'method', name, type: { kind: 'func', params: [], results: r.kind === 'tuple' ? r.types : [r], variadic: false }, std: key, path: [], owner: n }];
  }
  const field = STD_FIELDS[`${n.pkg}.${n.name}.${name}`];
  return field ? [{ kind: 'field', name, type: parseType(field), field: { name, type: parseType(field), embedded: false }, path: [], owner: n }] : [];
}

/** `t` with the type parameters named in `args` replaced (fields and methods of an instantiated generic type). */
export function substitute(t: Type, args: Map<string, Type>, depth = 0): Type {
  if (args.size === 0 || depth > 8) return t;
  const s = (x: Type) => substitute(x, args, depth + 1);
  switch (t.kind) {
    case 'typeparam':
      return args.get(t.name) ?? t;
    case 'pointer':
    case 'slice':
    case 'chan':
      return { ...t, elem: s(t.elem) };
    case 'array':
      return { ...t, elem: s(t.elem) };
    case 'map':
      return { ...t, key: s(t.key), elem: s(t.elem) };
    case 'func':
      return { ...t, params: t.params.map(s), results: t.results.map(s) };
    case 'tuple':
      return { ...t, types: t.types.map(s) };
    case 'named':
      return t.args ? { ...t, args: t.args.map(s) } : t;
  }
  return t;
}

/** Type parameter names of a generic type's declaration, or of a method's receiver (`func (l *List[E])`). */
function paramNames(decl: SyntaxNode | null | undefined): string[] {
  if (!decl) return [];
  if (decl.type === 'method_declaration') {
    const g = decl.childForFieldName('receiver')?.descendantsOfType('generic_type')[0];
    const args = g?.childForFieldName('type_arguments');
    return args ? args.namedChildren.map((a) => (a.type === 'type_elem' ? a.namedChildren[0]?.text ?? '' : a.text)) : [];
  }
  const tps = decl.childForFieldName('type_parameters');
  return tps ? tps.namedChildren.flatMap((d) => d.childrenForFieldName('name').map((x) => x.text)) : [];
}

function bindings(n: Named | undefined, decl: SyntaxNode | null | undefined): Map<string, Type> {
  const out = new Map<string, Type>();
  if (!n?.args) return out;
  paramNames(decl).forEach((p, i) => {
    if (n.args![i]) out.set(p, n.args![i]);
  });
  return out;
}

function direct(t: Type, name: string): Selection[] {
  const out: Selection[] = [];
  const n = namedOf(t);
  if (n?.members) {
    for (const m of n.members()) if (m.obj.name === name) out.push({ kind: 'method', name, type: substitute(m.type, bindings(n, m.obj.decl)), method: m.obj, path: [], owner: n });
  } else if (n) out.push(...stdMembers(n, name));
  const base = t.kind === 'pointer' ? t.elem : t;
  const u = underlying(base);
  if (u.kind === 'struct') {
    const b = bindings(n, n?.node?.parent);
    for (const f of u.fields) if (f.name === name) out.push({ kind: 'field', name, type: substitute(f.type, b), field: f, path: [], owner: n });
  } else if (u.kind === 'interface' && t.kind !== 'pointer') {
    for (const m of interfaceMethods(u)) if (m.name === name) out.push({ kind: 'method', name, type: m.type, ifaceMethod: m, path: [], owner: n });
  }
  return out;
}

/** Every method of an interface type, embedded interfaces included. */
export function interfaceMethods(t: Type, depth = 0): Method[] {
  const u = underlying(t);
  if (u.kind !== 'interface' || depth > 8) return [];
  return [...u.methods, ...u.embeds.flatMap((e) => interfaceMethods(e, depth + 1))];
}

/** Field or method `name` of `t` (or `*t`), promoted through embedding; undefined when absent or ambiguous. */
export function lookupMember(t: Type, name: string): Selection | undefined {
  let level: { t: Type; path: Field[] }[] = [{ t, path: [] }];
  const seen = new Set<string>();
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const found: Selection[] = [];
    const next: { t: Type; path: Field[] }[] = [];
    for (const { t: lt, path } of level) {
      for (const s of direct(lt, name)) found.push({ ...s, path });
      const u = underlying(lt.kind === 'pointer' ? lt.elem : lt);
      if (u.kind !== 'struct') continue;
      for (const f of u.fields) {
        if (!f.embedded) continue;
        const key = namedOf(f.type)?.name ?? f.name;
        if (seen.has(key)) continue;
        seen.add(key);
        next.push({ t: f.type, path: [...path, f] });
      }
    }
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
    level = next;
  }
  return undefined;
}

/**
 * The method set of `t`: methods declared on its named type (value receivers only, unless `t` is
 * a pointer), methods promoted from embedded fields, an interface's methods. Names are unique.
 */
export function methodSet(t: Type): Selection[] {
  const out = new Map<string, Selection>();
  const isPtr = t.kind === 'pointer';
  const visit = (lt: Type, path: Field[], ptr: boolean, depth: number) => {
    if (depth > 6) return;
    const n = namedOf(lt);
    const viaPtr = ptr || lt.kind === 'pointer';
    for (const { obj: m, type } of n?.members?.() ?? []) {
      if (out.has(m.name)) continue;
      if (pointerReceiver(m) && !viaPtr) continue;
      out.set(m.name, { kind: 'method', name: m.name, type, method: m, path, owner: n });
    }
    const u = underlying(lt.kind === 'pointer' ? lt.elem : lt);
    if (u.kind === 'interface') for (const m of interfaceMethods(u)) if (!out.has(m.name)) out.set(m.name, { kind: 'method', name: m.name, type: m.type, ifaceMethod: m, path, owner: n });
    if (u.kind === 'struct') for (const f of u.fields) if (f.embedded) visit(f.type, [...path, f], viaPtr, depth + 1);
  };
  visit(t, [], isPtr, 0);
  return [...out.values()];
}

/** True for a method declared with a pointer receiver (`func (t *T) M()`). */
export function pointerReceiver(m: Obj): boolean {
  const recv = m.decl?.childForFieldName('receiver');
  const p = recv?.namedChildren.find((c) => c.type === 'parameter_declaration');
  return p?.childForFieldName('type')?.type === 'pointer_type';
}

/**
 * True when `t` has every method of interface `iface` (by name and arity; types of other
 * packages compared by spelling).
 */
export function implementsIface(t: Type, iface: Type): boolean {
  const want = interfaceMethods(iface);
  if (want.length === 0) return false;
  const have = new Map(methodSet(t).map((s) => [s.name, s]));
  return want.every((m) => {
    const h = have.get(m.name);
    if (!h) return false;
    const a = underlying(h.type);
    const b = underlying(m.type);
    return a.kind === 'func' && b.kind === 'func' && a.params.length === b.params.length && a.results.length === b.results.length;
  });
}

/**
 * A key naming a type whose members are fixed by its declaration alone: a named type without type
 * arguments, or a pointer to one (the declaring node tells apart types of one name declared in
 * different functions). Undefined for anything else, whose lookups are not memoised.
 */
export function selectionKey(t: Type): string | undefined {
  const ptr = t.kind === 'pointer';
  const n = ptr ? t.elem : t;
  if (n.kind !== 'named' || n.args) return undefined;
  return `${ptr ? '*' : ''}${n.pkg}.${n.name}@${n.node?.id ?? ''}`;
}
