/**
 * Value types, read from syntax: the type a written expression stores in the map, and the type an
 * assertion expects, in a canonical form that compares across files.
 *
 * A value stored in a `map[string]interface{}` keeps its dynamic type, so the split is only right
 * when gomend knows that type exactly and it is concrete: a variable declared as `error` or
 * `io.Reader` may hold a nil interface, which the old map stores as "no value" and a typed map would
 * store as a present zero. Anything that is not provably a concrete type comes back `undefined`.
 *
 * Canonical form: Go type syntax with `byte`/`rune` spelled `uint8`/`int32` and every package
 * qualifier replaced by its quoted import path (`"time".Duration`); `spelled` keeps the user's
 * spelling for names and declarations.
 */
import type { GoFile, Node } from '../../src/types.js';
import { importPathOf, resolveLocal } from './scope.js';
import type { PkgIndex } from './symbols.js';

/** A type by identity (`canon`) and as the user wrote it (`spelled`). */
export interface GoType {
  canon: string;
  spelled: string;
}

const BASIC = new Set([
  'bool', 'string', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64',
  'uintptr', 'float32', 'float64', 'complex64', 'complex128', 'byte', 'rune',
]);
const ALIAS: Record<string, string> = { byte: 'uint8', rune: 'int32' };

/** Concrete types from other packages gomend knows by name (all others may be interfaces). */
const KNOWN_CONCRETE = new Set(['"time".Duration', '"time".Time', '"time".Month', '"time".Weekday', '"encoding/json".RawMessage']);

/** True when `name` at `at` is the predeclared identifier, not shadowed locally or in the package. */
export function predeclared(idx: PkgIndex, name: string, at: Node): boolean {
  return !idx.top.has(name) && !resolveLocal(name, at);
}

/** The package-level type declaration named `name`, when `name` at `at` refers to it. */
export function packageType(idx: PkgIndex, name: string, at: Node): { file: GoFile; node: Node } | undefined {
  if (resolveLocal(name, at)) return undefined;
  const decls = idx.top.get(name);
  if (!decls || decls.length !== 1 || decls[0].kind !== 'type') return undefined;
  if (decls[0].node.childForFieldName('type_parameters')) return undefined;
  return { file: decls[0].file, node: decls[0].node };
}

/** Canonical form of a type written at `node` in `file`, or undefined when gomend cannot name it. */
export function canonType(idx: PkgIndex, file: GoFile, node: Node | null, depth = 0): GoType | undefined {
  if (!node) return undefined;
  const sub = (n: Node | null, f: (t: GoType) => GoType): GoType | undefined => {
    const t = canonType(idx, file, n, depth);
    return t && f(t);
  };
  switch (node.type) {
    case 'parenthesized_type':
      return canonType(idx, file, node.namedChildren[0] ?? null, depth);
    case 'type_identifier': {
      const name = node.text;
      if (BASIC.has(name) && predeclared(idx, name, node)) return { canon: ALIAS[name] ?? name, spelled: name };
      if ((name === 'any' || name === 'error') && predeclared(idx, name, node)) return { canon: name === 'any' ? 'interface{}' : 'error', spelled: name };
      const decl = packageType(idx, name, node);
      if (decl?.node.type === 'type_alias') {
        // An alias is the type it names: compare by that, keep the alias's spelling.
        const target = depth < 8 ? canonType(idx, decl.file, decl.node.childForFieldName('type'), depth + 1) : undefined;
        return target && { canon: target.canon, spelled: name };
      }
      if (decl) return { canon: name, spelled: name };
      return undefined;
    }
    case 'qualified_type': {
      const pkg = node.childForFieldName('package')?.text;
      const name = node.childForFieldName('name')?.text;
      const path = pkg && importPathOf(file, pkg);
      if (!path || !name || resolveLocal(pkg, node)) return undefined;
      return { canon: `"${path}".${name}`, spelled: `"${path}".${name}` };
    }
    case 'pointer_type':
      return sub(node.namedChildren[0] ?? null, (t) => ({ canon: `*${t.canon}`, spelled: `*${t.spelled}` }));
    case 'slice_type':
      return sub(node.childForFieldName('element'), (t) => ({ canon: `[]${t.canon}`, spelled: `[]${t.spelled}` }));
    case 'array_type': {
      const len = node.childForFieldName('length');
      if (!len || len.type !== 'int_literal') return undefined;
      return sub(node.childForFieldName('element'), (t) => ({ canon: `[${len.text}]${t.canon}`, spelled: `[${len.text}]${t.spelled}` }));
    }
    case 'map_type': {
      const k = canonType(idx, file, node.childForFieldName('key'), depth);
      const v = canonType(idx, file, node.childForFieldName('value'), depth);
      return k && v ? { canon: `map[${k.canon}]${v.canon}`, spelled: `map[${k.spelled}]${v.spelled}` } : undefined;
    }
    case 'interface_type':
      return node.namedChildCount === 0 ? { canon: 'interface{}', spelled: 'interface{}' } : undefined;
    default:
      // TODO: function, channel and struct types; values of those kinds are refused for now.
      return undefined;
  }
}

/** Splits `map[K]V` (canonical or spelled) into K and V. */
export function splitMap(s: string): { key: string; value: string } | undefined {
  if (!s.startsWith('map[')) return undefined;
  let depth = 0;
  for (let i = 3; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']' && --depth === 0) return { key: s.slice(4, i), value: s.slice(i + 1) };
  }
  return undefined;
}

/** The element type of a slice, string (bytes) or map type; undefined for others. */
export function elemOf(t: GoType): GoType | undefined {
  if (t.canon.startsWith('[]')) return { canon: t.canon.slice(2), spelled: t.spelled.slice(2) };
  if (t.canon === 'string') return { canon: 'uint8', spelled: 'byte' };
  const a = splitMap(t.canon);
  const b = splitMap(t.spelled);
  return a && b ? { canon: a.value, spelled: b.value } : undefined;
}

/** True when values of type `t` are never interfaces, so storing one always records that type. */
export function isConcrete(idx: PkgIndex, t: GoType, depth = 0): boolean {
  const c = t.canon;
  if (depth > 8) return false;
  if (BASIC.has(c)) return true;
  if (c.startsWith('*') || c.startsWith('[') || c.startsWith('map[')) return true;
  if (c.startsWith('"')) return KNOWN_CONCRETE.has(c);
  if (c === 'interface{}' || c === 'error') return false;
  const decl = idx.top.get(c)?.[0];
  if (!decl || decl.kind !== 'type') return false;
  const under = decl.node.childForFieldName('type');
  if (!under) return false;
  if (under.type === 'struct_type' || under.type === 'slice_type' || under.type === 'map_type' || under.type === 'array_type' ||
    under.type === 'pointer_type' || under.type === 'function_type' || under.type === 'channel_type') return true;
  if (under.type === 'interface_type') return false;
  const inner = canonType(idx, decl.file, under);
  return !!inner && isConcrete(idx, inner, depth + 1);
}

/** Writes `t` in `file`: import paths become the file's qualifiers (via `qualify`). */
export function renderType(t: GoType, qualify: (path: string) => string | undefined): string | undefined {
  let ok = true;
  const text = t.spelled.replace(/"([^"]+)"\./g, (_, path: string) => {
    const q = qualify(path);
    if (!q) ok = false;
    return `${q}.`;
  });
  return ok ? text : undefined;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The word a typed map's name ends with: `Ints`, `Strings`, `Bytes`, `Durations`, `ConfigPtrs`. */
export function typeWord(t: GoType): string {
  const base = (s: string): string | undefined => {
    if (s === '[]byte' || s === '[]uint8') return 'Bytes';
    if (s === 'byte') return 'Uint8s';
    if (s.startsWith('[]')) {
      const e = base(s.slice(2));
      return e && `${e.replace(/s$/, '')}Slices`;
    }
    if (s.startsWith('*')) {
      const e = base(s.slice(1));
      return e && `${e.replace(/s$/, '')}Ptrs`;
    }
    if (s.startsWith('map[')) return 'Maps';
    if (s.startsWith('[')) return 'Arrays';
    const m = /^(?:"[^"]*"\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(s);
    return m ? `${capital(m[1])}s` : undefined;
  };
  return base(t.spelled) ?? 'Values';
}
