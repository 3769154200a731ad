/**
 * Fields and methods of a type, promoted through embedded fields as Go's selector rules have it
 * (the shallowest depth wins; two at the same depth are ambiguous and select nothing), and method
 * sets (a value type has its value-receiver methods; a pointer has both).
 */
import type { Obj } from './objects.js';
import { namedOf, underlying } from './types.js';
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
  /** Embedded fields walked through to reach it, outermost first. */
  path: Field[];
  /** The named type declaring the member (for methods and fields of named structs). */
  owner?: Named;
}

/** What member lookup needs: the declared methods of a named type of the package. */
export interface MemberEnv {
  methodsOf(t: Named): Obj[];
  typeOfObj(o: Obj): Type;
}

function substitute(t: Type, named: Named | undefined): Type {
  // Fields of a generic type mention its type parameters: leave them as type parameters (the
  // callers turn them into unknowns rather than guess).
  void named;
  return t;
}

function direct(env: MemberEnv, t: Type, name: string): Selection[] {
  const out: Selection[] = [];
  const n = namedOf(t);
  if (n && n.pkg === '') {
    for (const m of env.methodsOf(n)) if (m.name === name) out.push({ kind: 'method', name, type: env.typeOfObj(m), method: m, path: [], owner: n });
  }
  const base = t.kind === 'pointer' ? t.elem : t;
  const u = underlying(base);
  if (u.kind === 'struct') {
    for (const f of u.fields) if (f.name === name) out.push({ kind: 'field', name, type: substitute(f.type, n), field: f, path: [], owner: n });
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
export function lookupMember(env: MemberEnv, t: Type, name: string): Selection | undefined {
  let level: { t: Type; path: Field[] }[] = [{ t, path: [] }];
  const seen = new Set<string>();
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const found: Selection[] = [];
    const next: { t: Type; path: Field[] }[] = [];
    for (const { t: lt, path } of level) {
      for (const s of direct(env, lt, name)) found.push({ ...s, path });
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
export function methodSet(env: MemberEnv, t: Type): Selection[] {
  const out = new Map<string, Selection>();
  const isPtr = t.kind === 'pointer';
  const visit = (lt: Type, path: Field[], ptr: boolean, depth: number) => {
    if (depth > 6) return;
    const n = namedOf(lt);
    const viaPtr = ptr || lt.kind === 'pointer';
    if (n && n.pkg === '') {
      for (const m of env.methodsOf(n)) {
        if (out.has(m.name)) continue;
        const pr = pointerReceiver(m);
        if (pr && !viaPtr) continue;
        out.set(m.name, { kind: 'method', name: m.name, type: env.typeOfObj(m), method: m, path, owner: n });
      }
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
export function implementsIface(env: MemberEnv, t: Type, iface: Type): boolean {
  const want = interfaceMethods(iface);
  if (want.length === 0) return false;
  const have = new Map(methodSet(env, t).map((s) => [s.name, s]));
  return want.every((m) => {
    const h = have.get(m.name);
    if (!h) return false;
    const a = underlying(h.type);
    const b = underlying(m.type);
    return a.kind === 'func' && b.kind === 'func' && a.params.length === b.params.length && a.results.length === b.results.length;
  });
}
