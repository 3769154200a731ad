/**
 * The package view of goroutine-subslice: package-level declarations by name, so a call or a type
 * written in one file can be followed into another. The shared model (src/go/) answers; this is
 * the shape the analysis asks in, with a memo for its callee analyses.
 */
import type { Node, Package } from '../../src/types.js';
import type { Decl } from './scope.js';
import { modelOf } from './modelref.js';

/** Read access to one kind of package-level declaration, by name. */
export interface Lookup<T> {
  get(name: string): T | undefined;
  has(name: string): boolean;
}

/** Package-level declarations of all files, from the package's model. */
export interface PkgIndex {
  pkg: Package;
  funcs: Lookup<Node>;
  types: Lookup<Node>;
  vars: Lookup<Decl>;
  /** Every package-level name: vars, consts, funcs, types. */
  topNames: { has(name: string): boolean };
  /** Memo for callee analyses, keyed by function node id and parameter. */
  memo: Map<string, unknown>;
}

const indexes = new WeakMap<Package, PkgIndex>();

/** The package index, made once per Package object (one per pass). */
export function pkgIndex(pkg: Package): PkgIndex {
  const known = indexes.get(pkg);
  if (known) return known;
  const model = modelOf(pkg);
  if (!model) throw new Error('goroutine-subslice: no model for the package');
  const obj = (name: string) => model.packageObject(name);
  const lookup = <T>(get: (name: string) => T | undefined): Lookup<T> => ({ get, has: (name) => get(name) !== undefined });
  const idx: PkgIndex = {
    pkg,
    funcs: lookup((name) => {
      const o = obj(name);
      return o?.kind === 'func' ? (o.decl as unknown as Node | undefined) : undefined;
    }),
    types: lookup((name) => {
      const o = obj(name);
      return o?.kind === 'type' ? (o.decl as unknown as Node | undefined) : undefined;
    }),
    vars: lookup((name): Decl | undefined => {
      const o = obj(name);
      if (o?.kind !== 'var' || !o.ident || !o.decl) return undefined;
      return { kind: 'package-var', name: o.ident as unknown as Node, stmt: o.decl as unknown as Node, index: o.index };
    }),
    topNames: { has: (name) => ['var', 'const', 'type', 'func'].includes(obj(name)?.kind ?? '') },
    memo: new Map(),
  };
  indexes.set(pkg, idx);
  return idx;
}
