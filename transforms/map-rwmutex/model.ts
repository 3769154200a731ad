/**
 * The package as map-rwmutex sees it: its functions and methods as `Func` records, backed by the
 * shared Go model (src/go/) for everything that needs names or types resolved. Calls resolve by
 * type (`model.callees`): `x.m()` runs the method `m` of `x`'s type, an interface call every
 * implementation in the package; a call the model cannot resolve is `unknown`.
 */
import type { Callee } from '../../src/go/calls.js';
import { calleesOfValue } from '../../src/go/calls.js';
import { receiverBase } from '../../src/go/decls.js';
import type { Model } from '../../src/go/model.js';
import type { GoFile as BaseGoFile } from '../../src/types.js';
import type { GoFile, Node, Package } from './tree.js';
import { innerExpr, namedKids, nodeKey } from './syntax.js';

/** A function declaration, method declaration or function literal. */
export interface Func {
  key: string;
  file: GoFile;
  node: Node;
  /** '' for literals. */
  name: string;
  isMethod: boolean;
  /** Base type name of a method's receiver. */
  recvType: string;
  recvName: string;
  recvPointer: boolean;
}

/** What the package declares, across its files, and the model that resolves its names. */
export interface PackageIndex {
  pkg: Package;
  model: Model;
  /** Package-level functions by name (several with build tags). */
  funcs: Map<string, Func[]>;
  /** Declared methods by name, over all receiver types: for listing, never for resolving a call. */
  methods: Map<string, Func[]>;
  /** Every declared function and method. */
  decls: Func[];
  /** Names declared at package level (vars, consts, types, funcs). */
  topNames: Set<string>;
  /** Import names per file path. */
  imports: Map<string, Set<string>>;
  /** Import paths by name, per file path. */
  importPaths: Map<string, Map<string, string>>;
  /** Identifier and field identifier nodes per file and name (built lazily). */
  idents: Map<string, TextIndex>;
  fieldIdents: Map<string, TextIndex>;
  typeIdents: Map<string, TextIndex>;
  funcByKey: Map<string, Func>;
  /** The same records by node (nodes of the model's trees are unique objects): `funcOf` without building a key. */
  funcByNode: Map<Node, Func>;
  /** Memo of `resolveCallee`, by the callee expression inside its parentheses. */
  callees: Map<Node, Targets>;
  /** The analysis's file for each of the driver's files. */
  fileByBase: Map<BaseGoFile, GoFile>;
}

function receiverInfo(decl: Node): { type: string; name: string; pointer: boolean } {
  const recv = decl.childForFieldName('receiver');
  const param = namedKids(recv).find((n) => n.type === 'parameter_declaration');
  if (!param) return { type: '', name: '', pointer: false };
  return { type: receiverBase(decl) ?? '', name: param.childForFieldName('name')?.text ?? '', pointer: param.childForFieldName('type')?.type === 'pointer_type' };
}

/** The Func record of a declaration or literal node. */
export function funcOf(index: PackageIndex, file: GoFile, node: Node): Func {
  let f = index.funcByNode.get(node);
  if (f && f.file === file) return f;
  const key = nodeKey(file, node);
  f = index.funcByKey.get(key);
  if (!f) {
    f = { key, file, node, name: '', isMethod: false, recvType: '', recvName: '', recvPointer: false };
    index.funcByKey.set(key, f);
  }
  index.funcByNode.set(node, f);
  return f;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the package index over the model's declarations. */
export function buildIndex(pkg: Package, model: Model): PackageIndex {
  const index: PackageIndex = {
    pkg,
    model,
    funcs: new Map(),
    methods: new Map(),
    decls: [],
    topNames: new Set(model.decls.scope.names.keys()),
    imports: new Map(),
    importPaths: new Map(),
    idents: new Map(),
    fieldIdents: new Map(),
    typeIdents: new Map(),
    funcByKey: new Map(),
    funcByNode: new Map(),
    callees: new Map(),
    fileByBase: new Map(pkg.files.map((f) => [f.base, f])),
  };
  for (const file of pkg.files) {
    const names = new Set<string>();
    const paths = new Map<string, string>();
    for (const imp of model.importsOf(file.base)) {
      if (imp.name === '_' || imp.name === '.') continue;
      names.add(imp.name);
      paths.set(imp.name, imp.path);
    }
    index.imports.set(file.path, names);
    index.importPaths.set(file.path, paths);
    for (const top of namedKids(file.root)) {
      if (top.type !== 'function_declaration' && top.type !== 'method_declaration') continue;
      const name = top.childForFieldName('name')?.text ?? '';
      const f = funcOf(index, file, top);
      f.name = name;
      if (top.type === 'method_declaration') {
        const r = receiverInfo(top);
        Object.assign(f, { isMethod: true, recvType: r.type, recvName: r.name, recvPointer: r.pointer });
        push(index.methods, name, f);
      } else push(index.funcs, name, f);
      index.decls.push(f);
    }
  }
  return index;
}

/** Identifier nodes of a file with the given name (a text search, for choosing fresh names). */
export function identsNamed(index: PackageIndex, file: GoFile, name: string): Node[] {
  return named(index.idents, file, 'identifier', name);
}

/**
 * Field identifier nodes (`x.name`, field declarations) of a file with the given name: where the
 * model is asked whether they are a candidate field. A file's nodes are indexed by text once;
 * scanning every file for each candidate was quadratic in large packages.
 */
export function fieldIdentsNamed(index: PackageIndex, file: GoFile, name: string): Node[] {
  return named(index.fieldIdents, file, 'field_identifier', name);
}

/** Type identifier nodes of a file with the given name, in document order (a text search, as `fieldIdentsNamed`). */
export function typeIdentsNamed(index: PackageIndex, file: GoFile, name: string): Node[] {
  return named(index.typeIdents, file, 'type_identifier', name);
}

function named(memoByFile: Map<string, TextIndex>, file: GoFile, type: string, name: string): Node[] {
  let memo = memoByFile.get(file.path);
  if (!memo) {
    memo = { positions: file.root.indexByText(type), nodes: new Map() };
    memoByFile.set(file.path, memo);
  }
  let nodes = memo.nodes.get(name);
  if (!nodes) {
    nodes = (memo.positions.get(name) ?? []).map((i) => file.tree.node(i)!);
    memo.nodes.set(name, nodes);
  }
  return nodes;
}

/** Positions (tree indices) of a file's nodes of one type by text, and the nodes made so far. */
interface TextIndex {
  positions: Map<string, number[]>;
  nodes: Map<string, Node[]>;
}

/** True when `ident` names an import of its file (a package qualifier). */
export function isImportName(index: PackageIndex, _file: GoFile, ident: Node): boolean {
  return ident.type === 'identifier' && index.model.objectOf(ident)?.kind === 'pkgname';
}

/** What a callee expression may run: package functions and methods it resolves to, and whether it is unknown. */
export interface Targets {
  funcs: Func[];
  /** A function value we cannot see (a parameter, a func-typed field or variable, an unknown type). */
  unknown: boolean;
  /** A function of another package. */
  external: boolean;
}

/** The Func of a callee declared in this package, if it is one. */
function calleeFunc(index: PackageIndex, c: Callee): Func | undefined {
  if (!c.decl || (c.model && c.model !== index.model)) return undefined;
  const base = index.model.fileOf(c.decl)?.file;
  const file = base && index.fileByBase.get(base);
  if (!file) return undefined;
  return c.decl.type === 'func_literal' ? funcOf(index, file, c.decl) : index.funcByKey.get(nodeKey(file, c.decl));
}

/**
 * Resolves a callee (or a function value passed to a spawner) by type. A method the model cannot
 * resolve is unknown when the package declares a method or a field of that name (it might be
 * one of them); otherwise it cannot run the package's code by that name and counts as external.
 */
export function resolveCallee(index: PackageIndex, _file: GoFile, expr: Node | null): Targets {
  const fn = innerExpr(expr);
  if (!fn) return NO_TARGETS[0];
  let out = index.callees.get(fn);
  if (!out) {
    out = resolveCalleeOnce(index, fn);
    index.callees.set(fn, out);
  }
  return out;
}

/** `resolveCallee` of a callee expression (the answer is shared: callers must not change it). */
function resolveCalleeOnce(index: PackageIndex, fn: Node): Targets {
  if (index.model.isType(fn)) return NO_TARGETS[0]; // a conversion
  const out: Targets = { funcs: [], unknown: false, external: false };
  for (const c of calleesOfValue(index.model, fn)) {
    if (c.kind === 'builtin') continue;
    if (c.kind === 'std') {
      out.external = true;
      continue;
    }
    if (c.kind === 'unknown') {
      const name = fn.type === 'selector_expression' ? (fn.childForFieldName('field')?.text ?? '') : '';
      if (name && !index.methods.has(name) && !declaresField(index, name)) out.external = true;
      else out.unknown = true;
      continue;
    }
    const f = calleeFunc(index, c);
    if (f) out.funcs.push(f);
    else out.external = true;
  }
  // Most calls run no function of the package: one shared answer for each such kind, since
  // every answer is kept (`index.callees`).
  return out.funcs.length === 0 ? NO_TARGETS[(out.unknown ? 2 : 0) + (out.external ? 1 : 0)] : out;
}

/** The answers without a function of the package, by `unknown` (2) and `external` (1). */
const NO_TARGETS: readonly Targets[] = [0, 1, 2, 3].map((k) => Object.freeze({ funcs: Object.freeze([]) as unknown as Func[], unknown: k >= 2, external: k % 2 === 1 }));

/** The methods a call `x.m(…)` certainly may run, for reachability: by `x`'s type; none when that is unknown. */
export function preciseMethods(index: PackageIndex, file: GoFile, selector: Node): Func[] {
  const t = resolveCallee(index, file, selector);
  return t.unknown ? [] : t.funcs;
}

/**
 * The functions a function value may be (`f`, `x.m` used without a call), for the conservative
 * questions "may it be called from elsewhere": resolved by type, or, where the operand's type is
 * unknown, every method of that name (the answer that cannot miss one).
 */
export function valueTargets(index: PackageIndex, file: GoFile, expr: Node): Func[] {
  const t = resolveCallee(index, file, expr);
  if (!t.unknown || expr.type !== 'selector_expression') return t.funcs;
  return [...t.funcs, ...(index.methods.get(expr.childForFieldName('field')?.text ?? '') ?? [])];
}

const MEMBER_DECLARATIONS: readonly string[] = Object.freeze(['field_declaration', 'method_elem']);

/** Names of the package's struct fields and interface methods (memoised per index). */
const memberNameSets = new WeakMap<PackageIndex, { fields: Set<string>; iface: Set<string> }>();

function memberNames(index: PackageIndex): { fields: Set<string>; iface: Set<string> } {
  let s = memberNameSets.get(index);
  if (!s) {
    s = { fields: new Set(), iface: new Set() };
    const { fields, iface } = s;
    for (const file of index.pkg.files) {
      // Told from the arrays: a node is made for no field name (most are the `x.f` of selectors).
      const t = file.root.tree;
      const declaring = t.types.maskOf(MEMBER_DECLARATIONS);
      const names = t.types.names;
      file.root.descendantsWhere('field_identifier', (_, text, i) => {
        const up = t.parent[i];
        if (up >= 0 && declaring[t.typeId[up]] === 1) (names[t.typeId[up]] === 'field_declaration' ? fields : iface).add(text);
        return false;
      });
    }
    memberNameSets.set(index, s);
  }
  return s;
}

function declaresField(index: PackageIndex, name: string): boolean {
  return memberNames(index).fields.has(name);
}

/**
 * True when the method name `name` is not the package's only member of that name (another method,
 * a field or an interface method shares it): a call the model cannot type might then be any of
 * them, so a question that needs every caller of the method seen answers no.
 */
export function nameShared(index: PackageIndex, name: string): boolean {
  return (index.methods.get(name) ?? []).length !== 1 || declaresField(index, name) || memberNames(index).iface.has(name);
}
