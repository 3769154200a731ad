/**
 * The package view of goroutine-subslice: package-level declarations of every file, so a call or a
 * type written in one file can be followed into another.
 */
import type { GoFile, Node, Package } from '../../src/types.js';
import { kids } from './nodes.js';
import { declaredBy } from './scope.js';
import type { Decl } from './scope.js';

/** Package-level declarations of all files, built once per package per pass. */
export interface PkgIndex {
  pkg: Package;
  funcs: Map<string, Node>;
  /** Methods by `Type.name` (receiver base type name, pointer or not). */
  methods: Map<string, Node>;
  types: Map<string, Node>;
  vars: Map<string, Decl>;
  /** Every package-level name: vars, consts, funcs, types. */
  topNames: Set<string>;
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

const indexes = new WeakMap<Package, PkgIndex>();

/** The package index, built once per Package object (the planner makes a new one each pass). */
export function pkgIndex(pkg: Package): PkgIndex {
  let idx = indexes.get(pkg);
  if (idx) return idx;
  idx = { pkg, funcs: new Map(), methods: new Map(), types: new Map(), vars: new Map(), topNames: new Set(), memo: new Map() };
  for (const file of pkg.files) indexFile(file, idx);
  indexes.set(pkg, idx);
  return idx;
}

function indexFile(file: GoFile, idx: PkgIndex): void {
  for (const top of kids(file.root)) {
    if (top.type === 'function_declaration') {
      const name = top.childForFieldName('name')?.text;
      if (name) {
        idx.topNames.add(name);
        if (!idx.funcs.has(name)) idx.funcs.set(name, top);
      }
    } else if (top.type === 'method_declaration') {
      const recv = receiverTypeName(top);
      const name = top.childForFieldName('name')?.text;
      if (recv && name && !idx.methods.has(`${recv}.${name}`)) idx.methods.set(`${recv}.${name}`, top);
    } else if (top.type === 'type_declaration') {
      for (const spec of kids(top)) {
        const name = spec.childForFieldName('name')?.text;
        if (name && (spec.type === 'type_spec' || spec.type === 'type_alias')) {
          idx.topNames.add(name);
          if (!idx.types.has(name)) idx.types.set(name, spec);
        }
      }
    } else if (top.type === 'var_declaration' || top.type === 'const_declaration') {
      for (const d of declaredBy(top)) {
        idx.topNames.add(d.name.text);
        if (top.type === 'var_declaration' && !idx.vars.has(d.name.text)) idx.vars.set(d.name.text, { ...d, kind: 'package-var' });
      }
    }
  }
}

/** The file a node belongs to. */
export function fileOf(node: Node, pkg: Package): GoFile | undefined {
  return pkg.files.find((f) => f.tree === node.tree);
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
