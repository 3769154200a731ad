/**
 * Package-level declarations across the files of a package: the package scope, each file's
 * imports with the names they bind, methods by receiver type, and the import-name rules.
 */
import type { GoFile } from '../types.js';
import type { SyntaxNode } from '../mirror.js';
import { Scope, universe } from './objects.js';
import type { Obj } from './objects.js';
import { field, kids } from './syntax.js';

export interface ImportInfo {
  path: string;
  /** The name the import binds in the file ('.' and '_' as written). */
  name: string;
  /** True when the spec names it (`y "gopkg.in/yaml.v3"`). */
  explicit: boolean;
  spec: SyntaxNode;
}

export interface FileInfo {
  file: GoFile;
  root: SyntaxNode;
  imports: ImportInfo[];
  /** The file scope: the imports, inside the package scope. */
  scope: Scope;
  /** The package-level objects and methods the file declares. */
  declared: Obj[];
}

export interface PackageDecls {
  scope: Scope;
  files: FileInfo[];
  /** Methods by the name of their receiver's base type (`T` for `func (t *T[K]) M()`). */
  methods: Map<string, Obj[]>;
}

/**
 * The package name an import path gets when the spec does not name it and its package clause is
 * not at hand, by the rules `go` tools guess with: the last element, without a `/vN` element or a
 * `.vN` suffix (`gopkg.in/yaml.v3` → `yaml`), `go-` and `-go` trimmed, other characters mapped to `_`.
 */
export function guessPackageName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  last = last.replace(/\.v\d+$/, '');
  last = last.replace(/^go-/, '').replace(/-go$/, '');
  return last.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The receiver's base type name of a method declaration. */
export function receiverBase(method: SyntaxNode): string | undefined {
  const recv = field(method, 'receiver');
  const p = recv && kids(recv)[0];
  let t = p && field(p, 'type');
  while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type' || t.type === 'generic_type')) t = t.type === 'generic_type' ? field(t, 'type') : kids(t)[0];
  return t?.type === 'type_identifier' ? t.text : undefined;
}

function specs(decl: SyntaxNode, spec: string): SyntaxNode[] {
  return kids(decl).flatMap((c) => (c.type === spec ? [c] : c.type.endsWith('_list') ? kids(c).filter((s) => s.type === spec) : []));
}

/** The import specs of a file, with the names they bind. `nameOf` answers for a path (module view). */
export function fileImports(root: SyntaxNode, nameOf: (path: string) => string): ImportInfo[] {
  const out: ImportInfo[] = [];
  for (const d of kids(root)) {
    if (d.type !== 'import_declaration') continue;
    for (const s of specs(d, 'import_spec')) {
      const p = field(s, 'path');
      const path = p ? p.text.slice(1, -1) : '';
      const n = field(s, 'name');
      out.push({ path, name: n ? n.text : nameOf(path), explicit: !!n, spec: s });
    }
  }
  return out;
}

/** Collects the package scope, file scopes and methods of a package's files. */
export function collectDecls(files: { file: GoFile; root: SyntaxNode }[], nameOf: (path: string) => string, scope: Scope = new Scope(universe)): PackageDecls {
  const decls: PackageDecls = { scope, files: [], methods: new Map() };
  for (const { file, root } of files) addFileDecls(decls, file, root, nameOf);
  return decls;
}

/**
 * Adds one file to a package's declarations: its package-level objects to the package scope, its
 * methods, its imports and file scope. Returns the file's info (also appended to `decls.files`).
 */
export function addFileDecls(decls: PackageDecls, file: GoFile, root: SyntaxNode, nameOf: (path: string) => string): FileInfo {
  const { scope, methods } = decls;
  const declared: Obj[] = [];
  const add = (kind: Obj['kind'], ident: SyntaxNode | undefined, decl: SyntaxNode, index = 0) => {
    if (!ident) return;
    const o: Obj = { kind, name: ident.text, ident, decl, index, file, pkgLevel: true };
    if (kind === 'func' && o.name === 'init') return;
    scope.declare(o);
    declared.push(o);
  };
  for (const d of kids(root)) {
    switch (d.type) {
      case 'function_declaration':
        add('func', field(d, 'name'), d);
        break;
      case 'method_declaration': {
        const base = receiverBase(d);
        const name = field(d, 'name');
        if (base && name) {
          const m: Obj = { kind: 'method', name: name.text, ident: name, decl: d, index: 0, file, pkgLevel: true };
          const list = methods.get(base) ?? [];
          list.push(m);
          methods.set(base, list);
          declared.push(m);
        }
        break;
      }
      case 'type_declaration':
        for (const s of kids(d)) if (s.type === 'type_spec' || s.type === 'type_alias') add('type', field(s, 'name'), s);
        break;
      case 'var_declaration':
      case 'const_declaration': {
        const kind = d.type === 'var_declaration' ? 'var' : 'const';
        for (const s of specs(d, kind === 'var' ? 'var_spec' : 'const_spec')) s.childrenForFieldName('name').forEach((n, i) => add(kind, n, s, i));
        break;
      }
    }
  }
  const imports = fileImports(root, nameOf);
  const fscope = new Scope(scope, root);
  for (const im of imports) {
    if (im.name === '_' || im.name === '.') continue;
    fscope.declare({ kind: 'pkgname', name: im.name, ident: field(im.spec, 'name'), decl: im.spec, index: 0, file, pkgLevel: false, pkg: im.path });
  }
  const info: FileInfo = { file, root, imports, scope: fscope, declared };
  decls.files.push(info);
  return info;
}
