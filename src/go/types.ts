/**
 * Go types as the model knows them, shaped like go/types but smaller. A type the model cannot
 * know is `unknown` with a reason, never a guess: a transform that needs the type then declines.
 * Named types carry their underlying type lazily (declarations may refer to each other in any
 * order); types of other packages are `named` with their import path and an unknown underlying
 * type unless the module view or the standard-library table says more.
 */
import type { SyntaxNode } from '../mirror.js';

export interface Field {
  name: string;
  type: Type;
  embedded: boolean;
  /** The field's name (or embedded type) in the source, when declared in the package. */
  node?: SyntaxNode;
}

export interface Method {
  name: string;
  type: Type;
  /** The method's declaration (method_declaration or method_elem), when in the package. */
  node?: SyntaxNode;
  pointerReceiver?: boolean;
}

export type Type =
  | { kind: 'unknown'; why: string }
  | { kind: 'basic'; name: string; untyped?: boolean }
  | {
      kind: 'named';
      name: string;
      pkg: string;
      /** The package's name when it differs from the last element of `pkg`. */
      pkgName?: string;
      args?: Type[];
      node?: SyntaxNode;
      underlying(): Type;
      /** Declared methods with their types, answered by the model that declares the type. */
      members?(): { obj: import('./objects.js').Obj; type: Type }[];
    }
  | { kind: 'typeparam'; name: string; node?: SyntaxNode }
  | { kind: 'pointer'; elem: Type }
  | { kind: 'slice'; elem: Type }
  | { kind: 'array'; elem: Type; len: string }
  | { kind: 'map'; key: Type; elem: Type }
  | { kind: 'chan'; elem: Type; dir: 'both' | 'send' | 'recv' }
  | { kind: 'func'; params: Type[]; results: Type[]; variadic: boolean; node?: SyntaxNode }
  | { kind: 'struct'; fields: Field[] }
  | { kind: 'interface'; methods: Method[]; embeds: Type[] }
  | { kind: 'tuple'; types: Type[] };

export type Named = Extract<Type, { kind: 'named' }>;

export const unknown = (why: string): Type => ({ kind: 'unknown', why });
export const basic = (name: string, untyped = false): Type => ({ kind: 'basic', name, untyped });
export const pointer = (elem: Type): Type => ({ kind: 'pointer', elem });

export function isUnknown(t: Type): t is Extract<Type, { kind: 'unknown' }> {
  return t.kind === 'unknown';
}

/** The underlying type: named types are followed (at most a few steps: cycles are invalid Go). */
export function underlying(t: Type): Type {
  for (let i = 0; i < 20 && t.kind === 'named'; i++) t = t.underlying();
  return t.kind === 'named' ? unknown('cyclic type') : t;
}

export const isMap = (t: Type): boolean => underlying(t).kind === 'map';
export const isSlice = (t: Type): boolean => underlying(t).kind === 'slice';
export const isPointer = (t: Type): boolean => underlying(t).kind === 'pointer';
export const isInterface = (t: Type): boolean => underlying(t).kind === 'interface';
export const isString = (t: Type): boolean => {
  const u = underlying(t);
  return u.kind === 'basic' && u.name === 'string';
};

/** The pointed-to type of a pointer, else the type itself (Go's auto-dereference on selectors). */
export function deref(t: Type): Type {
  return t.kind === 'pointer' ? t.elem : t;
}

/** A named type without its pointer, if `t` is `N` or `*N`. */
export function namedOf(t: Type): Named | undefined {
  const d = t.kind === 'pointer' ? t.elem : t;
  return d.kind === 'named' ? d : undefined;
}

/** Go's spelling of a type; package-qualified with the last element of the import path. */
export function typeString(t: Type): string {
  switch (t.kind) {
    case 'unknown':
      return '?';
    case 'basic':
      return t.untyped ? `untyped ${t.name}` : t.name;
    case 'named': {
      const q = t.pkg ? `${t.pkgName ?? t.pkg.slice(t.pkg.lastIndexOf('/') + 1)}.` : '';
      return `${q}${t.name}${t.args ? `[${t.args.map(typeString).join(', ')}]` : ''}`;
    }
    case 'typeparam':
      return t.name;
    case 'pointer':
      return `*${typeString(t.elem)}`;
    case 'slice':
      return `[]${typeString(t.elem)}`;
    case 'array':
      return `[${t.len}]${typeString(t.elem)}`;
    case 'map':
      return `map[${typeString(t.key)}]${typeString(t.elem)}`;
    case 'chan':
      return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${typeString(t.elem)}`;
    case 'func': {
      const ps = t.params.map((p, i) => (t.variadic && i === t.params.length - 1 && p.kind === 'slice' ? `...${typeString(p.elem)}` : typeString(p)));
      const rs = t.results.length === 0 ? '' : t.results.length === 1 ? ` ${typeString(t.results[0])}` : ` (${t.results.map(typeString).join(', ')})`;
      return `func(${ps.join(', ')})${rs}`;
    }
    case 'struct':
      return `struct{${t.fields.map((f) => (f.embedded ? typeString(f.type) : `${f.name} ${typeString(f.type)}`)).join('; ')}}`;
    case 'interface':
      return t.methods.length === 0 && t.embeds.length === 0 ? 'interface{}' : `interface{${[...t.embeds.map(typeString), ...t.methods.map((m) => `${m.name}${typeString(m.type).slice(4)}`)].join('; ')}}`;
    case 'tuple':
      return `(${t.types.map(typeString).join(', ')})`;
  }
}

/** Identical types, by their spelling (named types of this package are unique by name and place). */
export function identical(a: Type, b: Type): boolean {
  if (a.kind === 'unknown' || b.kind === 'unknown') return false;
  if (a.kind === 'named' && b.kind === 'named') return a.name === b.name && a.pkg === b.pkg && a.node === b.node && typeString(a) === typeString(b);
  return typeString(a) === typeString(b);
}

/** True when the type (after following names) mentions a type the model does not know. */
export function hasUnknown(t: Type, depth = 0): boolean {
  if (depth > 6) return false;
  switch (t.kind) {
    case 'unknown':
      return true;
    case 'pointer':
    case 'slice':
    case 'array':
    case 'chan':
      return hasUnknown(t.elem, depth + 1);
    case 'map':
      return hasUnknown(t.key, depth + 1) || hasUnknown(t.elem, depth + 1);
    case 'tuple':
      return t.types.some((x) => hasUnknown(x, depth + 1));
    default:
      return false;
  }
}
