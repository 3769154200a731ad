/**
 * Value types as the split needs them, from the shared model's types: the type a written value
 * stores in the map, and the type an assertion expects, each in a canonical form that compares
 * across files plus a spelling to write back.
 *
 * A value stored in a `map[string]interface{}` keeps its dynamic type, so the split is only right
 * when that type is known exactly and is concrete: a variable declared as `error` or `io.Reader`
 * may hold a nil interface, which the old map stores as "no value" and a typed map would store as
 * a present zero. Anything that is not provably a concrete type the file can name is undefined.
 *
 * Canonical form: Go type syntax with `byte`/`rune` as `uint8`/`int32` and every other package's
 * qualifier replaced by its quoted import path (`"time".Duration`); `spelled` writes `uint8` as
 * `byte` (and an untyped rune constant's type as `rune`), as Go code usually does.
 */
import type { Model, SyntaxNode, Type } from '../../src/go/index.js';
import { typeString, underlying } from '../../src/go/index.js';

/** A type by identity (`canon`) and as it is written (`spelled`). */
export interface GoType {
  canon: string;
  spelled: string;
}

/** Concrete types of other packages the model may not know the underlying type of. */
const KNOWN_CONCRETE = new Set(['"time".Duration', '"time".Time', '"time".Month', '"time".Weekday', '"encoding/json".RawMessage']);

/** The canonical form of a model type, or undefined when the package level cannot name it. */
export function goType(model: Model, t: Type, rune = false): GoType | undefined {
  const wrap = (inner: Type, f: (s: string) => string): GoType | undefined => {
    const g = goType(model, inner);
    return g && { canon: f(g.canon), spelled: f(g.spelled) };
  };
  switch (t.kind) {
    case 'basic': {
      if (t.name === 'nil') return undefined;
      const name = t.untyped ? ({ rune: 'int32', float: 'float64', complex: 'complex128' } as Record<string, string>)[t.name] ?? t.name : t.name;
      const spelled = name === 'uint8' ? 'byte' : name === 'int32' && (rune || (t.untyped && t.name === 'rune')) ? 'rune' : name;
      return { canon: name, spelled };
    }
    case 'named': {
      if (t.args?.length) return undefined;
      if (t.pkg !== '' && t.pkg !== model.path) return { canon: `"${t.pkg}".${t.name}`, spelled: `"${t.pkg}".${t.name}` };
      if (!t.node) return t.name === 'error' ? { canon: 'error', spelled: 'error' } : undefined;
      // A type of this package: only one declared at package level can be named where the map is.
      return model.packageObject(t.name)?.ident === t.node ? { canon: t.name, spelled: t.name } : undefined;
    }
    case 'pointer':
      return wrap(t.elem, (s) => `*${s}`);
    case 'slice':
      return wrap(t.elem, (s) => `[]${s}`);
    case 'array':
      return /^\d+$/.test(t.len) ? wrap(t.elem, (s) => `[${t.len}]${s}`) : undefined;
    case 'map': {
      const k = goType(model, t.key);
      const v = goType(model, t.elem);
      return k && v ? { canon: `map[${k.canon}]${v.canon}`, spelled: `map[${k.spelled}]${v.spelled}` } : undefined;
    }
    case 'interface':
      return t.methods.length === 0 && t.embeds.length === 0 ? { canon: 'interface{}', spelled: 'interface{}' } : undefined;
    default:
      // TODO: function, channel and struct types; values of those kinds are refused for now.
      return undefined;
  }
}

/** True when values of type `t` are never interfaces, so storing one always records that type. */
export function isConcrete(model: Model, t: Type): boolean {
  if (t.kind === 'basic') return t.name !== 'nil';
  if (t.kind === 'named') {
    const u = underlying(t);
    if (u.kind === 'unknown') return KNOWN_CONCRETE.has(goType(model, t)?.canon ?? '');
    return u.kind !== 'interface' && u.kind !== 'typeparam';
  }
  return ['pointer', 'slice', 'array', 'map', 'chan', 'func', 'struct'].includes(t.kind);
}

/** The concrete type `expr` stores in an interface, or undefined when it is not known for sure. */
export function storedType(model: Model, expr: SyntaxNode): GoType | undefined {
  const t = model.typeOf(expr);
  return isConcrete(model, t) ? goType(model, t) : undefined;
}

/** The concrete type a type node (an assertion's) denotes, or undefined. */
export function namedType(model: Model, node: SyntaxNode | null | undefined): GoType | undefined {
  if (!node) return undefined;
  const t = model.typeFromSyntax(node);
  return isConcrete(model, t) ? goType(model, t, node.text === 'rune') : undefined;
}

/** Why a written value's type is not usable, for messages: an interface type, or unknown. */
export function unknownValue(model: Model, v: SyntaxNode, text: string): string {
  const t = model.typeOf(v);
  if (t.kind === 'unknown' || isConcrete(model, t) || (t.kind === 'basic' && t.name === 'nil')) return `${text}, a value of unknown type`;
  return `${text} of interface type ${typeString(t)}, whose dynamic type is unknown`;
}

/** Writes `t` in a file: import paths become the file's qualifiers (via `qualify`). */
export function renderType(t: GoType, qualify: (path: string) => string | undefined): string | undefined {
  let ok = true;
  const text = t.spelled.replace(/"([^"]+)"\./g, (_, path: string) => {
    const q = qualify(path);
    if (!q) ok = false;
    return `${q}.`;
  });
  return ok ? text : undefined;
}

/** A type as users read it: `time.Duration`, not the canonical `"time".Duration`. */
export function showType(t: GoType): string {
  return t.spelled.replace(/"([^"]*)"\./g, (_, p: string) => `${p.split('/').pop()}.`);
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
