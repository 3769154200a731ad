/**
 * The package view of goroutine-subslice: package-level declarations of every file, so a call or a
 * type written in one file can be followed into another.
 *
 * The index is lazy: a file is parsed and indexed only when a lookup asks for a name it may declare
 * (see toplevel.ts), so following `handle` into the package parses the files that write `handle`
 * outside braces, not the whole package. Every answer is the one an index of all files would give:
 * a lookup first indexes every file that may declare the name, and when several do (files for
 * different build tags), the declaration of the first file in package order wins.
 */
import type { GoFile, Node, Package, Tree } from '../../src/types.js';
import { kids } from '../../src/go/syntax.js';
import { declaredBy } from './scope.js';
import type { Decl } from './scope.js';
import { declarableNames } from './toplevel.js';
import type { Declarable } from './toplevel.js';

/** Read access to one kind of package-level declaration, by name. */
export interface Lookup<T> {
  get(name: string): T | undefined;
  has(name: string): boolean;
}

/** Package-level declarations of all files, built once per package per pass (lazily). */
export interface PkgIndex {
  pkg: Package;
  funcs: Lookup<Node>;
  /** Methods by `Type.name` (receiver base type name, pointer or not). */
  methods: Lookup<Node>;
  types: Lookup<Node>;
  vars: Lookup<Decl>;
  /** Every package-level name: vars, consts, funcs, types. */
  topNames: { has(name: string): boolean };
  /** Memo for callee analyses, keyed by function node id and parameter. */
  memo: Map<string, unknown>;
}

/** The base type name of a method receiver (`*T`, `T[K]` → `T`). */
export function receiverTypeName(method: Node): string | undefined {
  const param = kids(method.childForFieldName('receiver')).find((n) => n.type === 'parameter_declaration');
  let t = param?.childForFieldName('type') ?? null;
  while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) t = kids(t)[0] ?? null;
  if (t?.type === 'generic_type') t = t.childForFieldName('type');
  return t?.type === 'type_identifier' ? t.text : undefined;
}

/** A declaration and the position of its file in the package (earlier files win). */
interface Entry<T> {
  value: T;
  file: number;
}

/** What the lazy index has seen so far. */
interface State {
  files: GoFile[];
  /** Per file: the names it may declare (undefined: any), computed on the first lookup. */
  words: (Declarable | undefined)[] | undefined;
  indexed: boolean[];
  /** Names (`.m` for method m) for which every file that may declare them is indexed. */
  ready: Set<string>;
  funcs: Map<string, Entry<Node>>;
  methods: Map<string, Entry<Node>>;
  types: Map<string, Entry<Node>>;
  vars: Map<string, Entry<Decl>>;
  topNames: Set<string>;
  /** Trees of the files parsed through the index or registered by `noteFile`. */
  trees: Map<Tree, GoFile>;
}

const indexes = new WeakMap<Package, { idx: PkgIndex; state: State }>();

/** The package index, made once per Package object (the planner makes a new one each pass). */
export function pkgIndex(pkg: Package): PkgIndex {
  const known = indexes.get(pkg);
  if (known) return known.idx;
  const state: State = {
    files: pkg.files,
    words: undefined,
    indexed: pkg.files.map(() => false),
    ready: new Set(),
    funcs: new Map(),
    methods: new Map(),
    types: new Map(),
    vars: new Map(),
    topNames: new Set(),
    trees: new Map(),
  };
  const ensure = (name: string): void => ensureName(state, name, false);
  const view = <T>(map: Map<string, Entry<T>>): Lookup<T> => ({
    get: (name) => (ensure(name), map.get(name)?.value),
    has: (name) => (ensure(name), map.has(name)),
  });
  const methodOf = (key: string): string => {
    ensureName(state, key.slice(key.indexOf('.') + 1), true);
    return key;
  };
  const idx: PkgIndex = {
    pkg,
    funcs: view(state.funcs),
    methods: { get: (key) => state.methods.get(methodOf(key))?.value, has: (key) => state.methods.has(methodOf(key)) },
    types: view(state.types),
    vars: view(state.vars),
    topNames: { has: (name) => (ensure(name), state.topNames.has(name)) },
    memo: new Map(),
  };
  indexes.set(pkg, { idx, state });
  return idx;
}

/** Indexes every file not indexed yet that may declare `name` (a method's name when `method`). */
function ensureName(state: State, name: string, method: boolean): void {
  const key = method ? `.${name}` : name;
  if (state.ready.has(key)) return;
  state.words ??= state.files.map((f) => declarableNames(f.source));
  state.files.forEach((file, i) => {
    if (state.indexed[i]) return;
    const words = state.words![i];
    if (words && !(method ? words.methods : words.names).has(name)) return;
    state.indexed[i] = true;
    indexFile(file, i, state);
  });
  state.ready.add(key);
}

/** Sets `name` unless a declaration from this file or an earlier one holds it already. */
function put<T>(map: Map<string, Entry<T>>, name: string, value: T, file: number): void {
  const old = map.get(name);
  if (!old || old.file > file) map.set(name, { value, file });
}

function indexFile(file: GoFile, i: number, state: State): void {
  state.trees.set(file.tree, file);
  for (const top of kids(file.root)) {
    if (top.type === 'function_declaration') {
      const name = top.childForFieldName('name')?.text;
      if (name) {
        state.topNames.add(name);
        put(state.funcs, name, top, i);
      }
    } else if (top.type === 'method_declaration') {
      const recv = receiverTypeName(top);
      const name = top.childForFieldName('name')?.text;
      if (recv && name) put(state.methods, `${recv}.${name}`, top, i);
    } else if (top.type === 'type_declaration') {
      for (const spec of kids(top)) {
        const name = spec.childForFieldName('name')?.text;
        if (name && (spec.type === 'type_spec' || spec.type === 'type_alias')) {
          state.topNames.add(name);
          put(state.types, name, spec, i);
        }
      }
    } else if (top.type === 'var_declaration' || top.type === 'const_declaration') {
      for (const d of declaredBy(top)) {
        state.topNames.add(d.name.text);
        if (top.type === 'var_declaration') put(state.vars, d.name.text, { ...d, kind: 'package-var' }, i);
      }
    }
  }
}

/**
 * Tells the index that `file` is parsed already (the file a transform runs on), so `fileOf` finds
 * its nodes without touching the trees of other files.
 */
export function noteFile(idx: PkgIndex, file: GoFile): void {
  indexes.get(idx.pkg)?.state.trees.set(file.tree, file);
}

/** The file a node belongs to. */
export function fileOf(node: Node, pkg: Package): GoFile | undefined {
  // Asking every file for its tree would parse them all: nodes come from files seen already.
  return indexes.get(pkg)?.state.trees.get(node.tree) ?? pkg.files.find((f) => f.tree === node.tree);
}

/** The import path a file binds to `name`, when `name` is an import (and not shadowed there). */
export function importPathOf(file: GoFile, name: string): string | undefined {
  for (const decl of kids(file.root)) {
    if (decl.type !== 'import_declaration') continue;
    const specs = kids(decl).flatMap((c) => (c.type === 'import_spec_list' ? kids(c) : [c])).filter((s) => s.type === 'import_spec');
    for (const spec of specs) {
      const path = spec.childForFieldName('path')?.text.slice(1, -1) ?? '';
      const alias = spec.childForFieldName('name')?.text;
      const local = alias ?? path.split('/').filter((p) => !/^v\d+$/.test(p)).pop() ?? path;
      if (local === name) return path;
    }
  }
  return undefined;
}
