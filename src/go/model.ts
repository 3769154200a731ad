/**
 * The model of one package's Go code, shaped like go/types: `objectOf(ident)`, `usesOf(obj)`,
 * `typeOf(expr)`, `methodSet(type)`, `lookup(type, name)`. Built on first use from mirrored trees
 * (src/mirror.ts: one cursor walk per file, then plain JavaScript), and shared by every
 * transform that runs on the same text of the package. Nodes handed to it must be mirrored nodes
 * of its files: `rootOf(file)` gives them, `mirrorOf(file, node)` maps a tree-sitter node.
 */
import { mirrorFile } from '../mirror-share.js';
import type { MirrorTree, SyntaxNode } from '../mirror.js';
import type { GoFile, Package } from '../types.js';
import { collectDecls, guessPackageName } from './decls.js';
import { LazyDecls } from './lazy.js';
import type { FileInfo, ImportInfo, PackageDecls } from './decls.js';
import { callees, goroutineStarts } from './calls.js';
import type { Callee, GoroutineStart } from './calls.js';
import { hasSideEffects } from './effects.js';
import { denotesType, exprType } from './expr.js';
import { implementsIface, lookupMember, methodSet, selectionKey } from './lookup.js';
import type { Selection } from './lookup.js';
import { isUniverse } from './objects.js';
import type { Obj } from './objects.js';
import { nodeOfId, PackageResolution } from './resolution.js';
import { field, unparen } from './syntax.js';
import { objType, typeExpr } from './typeof.js';
import type { TypeEnv } from './typeof.js';
import { parseType, STD_FUNCS, STD_TYPE_NAMES, STD_VALUES, stdNamed, stdResult } from './stdlib.js';
import { unknown } from './types.js';
import { moduleViewFor } from './module.js';
import type { ModuleView } from './module.js';
import type { Named, Type } from './types.js';

/** Options of a model. */
export interface ModelOptions {
  /** The package's import path (the `pkg` of its named types); found from the module view when absent. */
  path?: string;
  /** The module around the package: other packages' names and declarations. */
  module?: ModuleView;
  /** Free each file's tree-sitter tree once it is mirrored (packages loaded by the module view). */
  dropTrees?: boolean;
  /** Parse and resolve only what is asked for (lazy.ts, resolution.ts); whole-package questions load everything. */
  lazy?: boolean;
}

export class Model implements TypeEnv {
  private readonly roots = new Map<GoFile, SyntaxNode>();
  private declsCache?: PackageDecls;
  private lazyDecls?: LazyDecls;
  private resolver?: PackageResolution;
  private treesById?: MirrorTree[];
  private readonly types = new Map<number, Type>();
  private readonly memberObjs = new Map<object, Obj>();
  private readonly fileByTree = new Map<unknown, FileInfo>();
  /** The file of each mirrored tree (a lazy model may mirror a file before it loads its declarations). */
  private readonly goFileByTree = new Map<unknown, GoFile>();
  private readonly memos = new Map<string, unknown>();

  /** The package's import path ('' when unknown). */
  readonly path: string;
  readonly module: ModuleView | undefined;

  constructor(
    readonly pkg: Package,
    private readonly options: ModelOptions = {},
  ) {
    this.module = options.module;
    this.path = options.path ?? this.module?.importPathOf(pkg.dir) ?? '';
  }

  /**
   * A package-wide answer computed once: `compute()` on the first call with `key`, the same value
   * after. For facts that depend only on the package's declarations (method sets, implementations).
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  /** The mirrored root of a file of the package (parses it if need be). */
  rootOf(file: GoFile): SyntaxNode {
    let r = this.roots.get(file);
    if (!r) {
      r = mirrorFile(file, this.options.dropTrees === true);
      this.roots.set(file, r);
      this.goFileByTree.set(r.tree, file);
    }
    return r;
  }

  /** The mirrored node of `file` with the same range and type as a tree-sitter node. */
  mirrorOf(file: GoFile, node: { startIndex: number; endIndex: number; type: string }): SyntaxNode | undefined {
    let n: SyntaxNode | undefined = this.rootOf(file);
    for (;;) {
      if (n.startIndex === node.startIndex && n.endIndex === node.endIndex && n.type === node.type) return n;
      const next: SyntaxNode | undefined = n.children.find((c) => c.startIndex <= node.startIndex && node.endIndex <= c.endIndex);
      if (!next) return undefined;
      n = next;
    }
  }

  /** Every file's declarations (a lazy model loads all its files). */
  get decls(): PackageDecls {
    if (this.options.lazy) return this.loader().all();
    if (!this.declsCache) {
      this.declsCache = collectDecls(this.pkg.files.map((file) => ({ file, root: this.rootOf(file) })), this.packageNameOf);
      for (const f of this.declsCache.files) this.fileByTree.set(f.root.tree, f);
    }
    return this.declsCache;
  }

  /** A lazy model's loader: each file's declarations join the package (and their defs the resolution) as it loads. */
  private loader(): LazyDecls {
    if (!this.lazyDecls) {
      const resolver = (this.resolver ??= new PackageResolution(() => this.decls.files, (n) => this.fileOf(n)));
      this.lazyDecls = new LazyDecls(this.pkg.files, (f) => this.rootOf(f), this.packageNameOf, (info) => {
        this.fileByTree.set(info.root.tree, info);
        resolver.declare(info, this.lazyDecls!.decls.scope);
      });
    }
    return this.lazyDecls;
  }

  /** The package name an import path binds (the module view's package clause, else Go's guess). */
  private readonly packageNameOf = (path: string): string => this.module?.packageName(path) ?? guessPackageName(path);

  /** The package's declarations as far as they are loaded (all of them unless the model is lazy). */
  private declsSoFar(): PackageDecls {
    return this.options.lazy ? this.loader().decls : this.decls;
  }

  /** Who resolves what, when (see resolution.ts); a whole-package model resolves every file at once. */
  private resolution(): PackageResolution {
    if (this.options.lazy) {
      this.loader();
      return this.resolver!;
    }
    if (!this.resolver) {
      const d = this.decls;
      const r = new PackageResolution(() => d.files, (n) => this.fileOf(n));
      for (const f of d.files) r.declare(f, d.scope);
      r.full();
      this.resolver = r;
    }
    return this.resolver;
  }

  /** The model's mirrored trees, by first id (for `nodeOfId`). */
  private treesInIdOrder(): MirrorTree[] {
    if (this.treesById?.length !== this.roots.size) this.treesById = [...this.roots.values()].map((r) => r.tree).sort((a, b) => a.idBase - b.idBase);
    return this.treesById;
  }

  /** The file of a node of this model. */
  fileOf(n: SyntaxNode): FileInfo | undefined {
    void this.declsSoFar();
    const info = this.fileByTree.get(n.tree);
    if (info || !this.options.lazy) return info;
    const file = this.goFileByTree.get(n.tree);
    return file && this.loader().file(file);
  }

  /** The imports of a file, with the names they bind. */
  importsOf(file: GoFile): ImportInfo[] {
    if (this.options.lazy) return this.pkg.files.includes(file) ? this.loader().file(file).imports : [];
    return this.decls.files.find((f) => f.file === file)?.imports ?? [];
  }

  /** A package-level object by name (var, const, type, func). */
  packageObject(name: string): Obj | undefined {
    return this.declsSoFar().scope.own(name);
  }

  /** The named types declared at package level (aliases excluded). */
  namedTypes(): Named[] {
    const out: Named[] = [];
    for (const o of this.decls.scope.names.values()) {
      if (o.kind !== 'type' || o.decl?.type !== 'type_spec') continue;
      const t = this.typeOfObj(o);
      if (t.kind === 'named') out.push(t);
    }
    return out;
  }

  /** What a call may run: see calls.ts. */
  callees(call: SyntaxNode): Callee[] {
    return callees(this, call);
  }

  /** Where goroutines start under `root` (a file's root, a function): see calls.ts. */
  goroutineStarts(root: SyntaxNode): GoroutineStart[] {
    return goroutineStarts(this, root);
  }

  /** The methods declared on the named type `t` of this package (any receiver kind). */
  methodsOf(t: Named | string): Obj[] {
    if (typeof t !== 'string' && t.pkg !== this.path) return [];
    const base = typeof t === 'string' ? t : t.name;
    return this.options.lazy ? this.loader().methods(base) : (this.decls.methods.get(base) ?? []);
  }

  /**
   * What an identifier denotes: a declaring identifier gives its object; a use, the object it
   * refers to; a field or method name after a dot, the field or method (by the operand's type);
   * the key of a struct literal, the field. Undefined when it cannot be resolved.
   */
  objectOf(ident: SyntaxNode): Obj | undefined {
    const res = this.resolution().at(ident);
    if (ident.type === 'field_identifier') return this.memberObject(ident);
    const keyed = this.structKey(ident);
    if (keyed) return keyed;
    return res.defs.get(ident.id) ?? res.uses.get(ident.id);
  }

  /** Every use of an object in the package (declaring identifiers excluded). */
  usesOf(o: Obj): SyntaxNode[] {
    const res = this.resolution().forUses(o);
    // A struct literal's key (`T{m: 1}`) names a field even where a variable `m` is in scope.
    if (o.kind !== 'field' && o.kind !== 'method') {
      const trees = this.treesInIdOrder();
      return (res.usesOf.get(o) ?? []).map((id) => nodeOfId(trees, id)).filter((n) => !this.structKey(n));
    }
    const out: SyntaxNode[] = [];
    for (const f of this.decls.files) {
      for (const n of f.root.descendantsWhere(['field_identifier', 'identifier'], (_, text) => text === o.name)) {
        if (n === o.ident) continue;
        if (this.objectOf(n) === o) out.push(n);
      }
    }
    return out;
  }

  /** True when `ident` is used inside a function literal but declared outside it (a capture). */
  isCaptured(ident: SyntaxNode): boolean {
    const o = this.objectOf(ident);
    if (!o?.ident || o.pkgLevel || o.kind !== 'var') return false;
    for (let p = ident.parent; p; p = p.parent) {
      if (p.type === 'func_literal') return !(p.startIndex <= o.ident.startIndex && o.ident.endIndex <= p.endIndex);
      if (p.type === 'function_declaration' || p.type === 'method_declaration') return false;
    }
    return false;
  }

  private memberObject(n: SyntaxNode): Obj | undefined {
    const p = n.parent;
    if (!p) return undefined;
    if (p.type === 'method_declaration' || p.type === 'field_declaration') return this.resolution().at(n).defs.get(n.id) ?? this.fieldObj(n, p);
    if (p.type === 'method_elem') return this.cached(p, () => ({ kind: 'method', name: n.text, ident: n, decl: p, index: 0, pkgLevel: false, file: this.fileOf(n)?.file }));
    if (p.type !== 'selector_expression') return undefined;
    const op = field(p, 'operand');
    if (!op) return undefined;
    const u = unparen(op);
    const po = u.type === 'identifier' ? this.objectOf(u) : undefined;
    if (po?.kind === 'pkgname') return this.cached(`${po.pkg}\0${n.text}`, () => ({ kind: 'var', name: n.text, index: 0, pkgLevel: true, pkg: po.pkg }));
    const t = denotesType(this, op) ? typeExpr(this, op) : this.typeOf(op);
    const sel = this.selection(t, n.text);
    return sel ? this.selectionObj(sel) : undefined;
  }

  /** The object of a selection: the declared method, the field, or the interface method. */
  selectionObj(sel: Selection): Obj | undefined {
    if (sel.method) return sel.method;
    if (sel.field?.node) return this.fieldObj(sel.field.node, sel.field.node.parent ?? undefined);
    if (sel.field) return this.cached(sel.field, () => ({ kind: 'field', name: sel.name, index: 0, pkgLevel: false, type: sel.type }));
    const m = sel.ifaceMethod;
    if (m?.node) return this.cached(m.node, () => ({ kind: 'method', name: sel.name, ident: field(m.node!, 'name'), decl: m.node, index: 0, pkgLevel: false }));
    return m ? this.cached(m, () => ({ kind: 'method', name: sel.name, index: 0, pkgLevel: false, type: sel.type })) : undefined;
  }

  private fieldObj(n: SyntaxNode, decl: SyntaxNode | undefined): Obj {
    return this.cached(n, () => ({ kind: 'field', name: n.type === 'field_identifier' ? n.text : n.text.replace(/^\*/, '').replace(/\[.*$/, '').replace(/^.*\./, ''), ident: n, decl, index: 0, pkgLevel: false, file: this.fileOf(n)?.file }));
  }

  private cached(key: object | string, make: () => Obj): Obj {
    const k = typeof key === 'string' ? (this.memberObjs.get(key as never) ? key : key) : key;
    let o = this.memberObjs.get(k as object);
    if (!o) {
      o = make();
      this.memberObjs.set(k as object, o);
    }
    return o;
  }

  private structKey(ident: SyntaxNode): Obj | undefined {
    const le = ident.parent;
    if (ident.type !== 'identifier' || le?.type !== 'literal_element' || le.parent?.type !== 'keyed_element' || le.parent.namedChildren[0] !== le) return undefined;
    const lit = le.parent.parent;
    if (lit?.type !== 'literal_value') return undefined;
    let t = this.typeOf(lit);
    if (t.kind === 'pointer') t = t.elem;
    const sel = this.selection(t, ident.text);
    return sel?.kind === 'field' && sel.path.length === 0 ? this.selectionObj(sel) : undefined;
  }

  /** The type of an expression; `unknown` (with the reason) when the model cannot know it. */
  typeOf(expr: SyntaxNode): Type {
    const id = expr.id;
    let t = this.types.get(id);
    if (!t) {
      this.types.set(id, unknown('cycle'));
      t = exprType(this, expr);
      this.types.set(id, t);
    }
    return t;
  }

  /** The type of an object (the denoted type for a type name). */
  typeOfObj(o: Obj): Type {
    if (!o.type) {
      o.type = unknown('cycle');
      o.type = objType(this, o);
    }
    return o.type;
  }

  /** The type a type expression denotes. */
  typeFromSyntax(n: SyntaxNode): Type {
    return typeExpr(this, n);
  }

  /** A field or method of `t` by name, promoted through embedding. */
  selection(t: Type, name: string): Selection | undefined {
    const key = selectionKey(t);
    return key === undefined ? lookupMember(t, name) : this.memo(`selection\0${key}\0${name}`, () => lookupMember(t, name));
  }

  /** The field `name` of `t` (promoted through embedding), or undefined. */
  fieldOf(t: Type, name: string): Selection | undefined {
    const s = this.selection(t, name);
    return s?.kind === 'field' ? s : undefined;
  }

  methodSet(t: Type): Selection[] {
    return methodSet(t);
  }

  /** True when `t` has the methods of interface `iface`. */
  implements(t: Type, iface: Type): boolean {
    return implementsIface(t, iface);
  }

  /** The type another package's `name` denotes, if it is known to be a type (module view, stdlib table). */
  externalType(pkg: string, name: string): Type | undefined {
    const other = this.module?.model(pkg);
    if (other) {
      const o = other.packageObject(name);
      return o?.kind === 'type' ? other.typeOfObj(o) : undefined;
    }
    return STD_TYPE_NAMES.has(`${pkg}.${name}`) ? stdNamed(pkg, name) : undefined;
  }

  /** The type of another package's value `name` (module view, stdlib table). */
  externalValue(pkg: string, name: string): Type | undefined {
    const other = this.module?.model(pkg);
    if (other) {
      const o = other.packageObject(name);
      return o && o.kind !== 'type' ? other.typeOfObj(o) : undefined;
    }
    const v = STD_VALUES[`${pkg}.${name}`];
    if (v) return parseType(v);
    const f = STD_FUNCS[`${pkg}.${name}`];
    if (!f || f.results === undefined) return f ? { kind: 'func', params: [], results: [], variadic: false } : undefined;
    const r = stdResult(f, name);
    return { kind: 'func', params: [], results: r.kind === 'tuple' ? r.types : [r], variadic: false };
  }

  /** The package-level object `name` of another package of the module, with the model declaring it. */
  externalObject(pkg: string, name: string): { model: Model; obj: Obj } | undefined {
    const model = this.module?.model(pkg);
    const obj = model?.packageObject(name);
    return model && obj ? { model, obj } : undefined;
  }

  /** True when evaluating `expr` may do more than compute a value (a call, a receive). */
  hasSideEffects(expr: SyntaxNode): boolean {
    return hasSideEffects(this, expr);
  }

  /** True when `n` in an expression position denotes a type (`T(x)` is then a conversion). */
  isType(n: SyntaxNode): boolean {
    return denotesType(this, n);
  }

  /** True for an object of Go's universe (`len`, `int`, `nil`). */
  isUniverse(o: Obj): boolean {
    return isUniverse(o);
  }
}

/**
 * A lazy model of a package (nothing is computed until asked). With `options.module` absent, the
 * module view is looked up from `pkg.dir` (none when the directory is '' or has no go.mod).
 */
export function newModel(pkg: Package, options: ModelOptions = {}): Model {
  const module = options.module ?? moduleViewFor(pkg.dir, (p, view, importPath) => new Model(p, { module: view, path: importPath, dropTrees: true, lazy: true }));
  return new Model(pkg, { lazy: true, ...options, module });
}
