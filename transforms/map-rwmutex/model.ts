/**
 * A small symbol model of one package, built once per package view.
 *
 * map-rwmutex reasons across files: a map declared in one file is written in another, a goroutine
 * launched here calls a method there. Without a type checker, calls are resolved by name: a plain
 * call to an identifier that is not shadowed resolves to the package function of that name, and
 * `x.m(…)` resolves to every method named `m` in the package (an over-approximation that errs
 * towards "reachable", which only makes the transform more careful about locking).
 */
import { defaultImportName } from '../../src/imports.js';
import type { GoFile, Node, Package } from './tree.js';
import { declaredLocally } from './scope.js';
import { descendants, FUNCTION_TYPES, innerExpr, isExported, namedKids, nodeKey } from './syntax.js';

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

/** What the package declares, by name, across its files. */
export interface PackageIndex {
  pkg: Package;
  /** Package-level functions by name (several with build tags). */
  funcs: Map<string, Func[]>;
  /** Methods by name, over all receiver types. */
  methods: Map<string, Func[]>;
  /** Every declared function and method. */
  decls: Func[];
  /** Names declared at package level (vars, consts, types, funcs). */
  topNames: Set<string>;
  /** Field names of every struct type in the package (anonymous and local ones too), with counts. */
  fieldNames: Map<string, number>;
  /** Method names declared by interface types of the package. */
  interfaceMethods: Set<string>;
  /** Import names per file path. */
  imports: Map<string, Set<string>>;
  /** Import paths by name, per file path. */
  importPaths: Map<string, Map<string, string>>;
  /** Identifier nodes per file and name (built lazily). */
  idents: Map<string, TextIndex>;
  /** Field identifiers by file path and name, built on first use. */
  fieldIdents: Map<string, TextIndex>;
  funcByKey: Map<string, Func>;
}

function receiverInfo(decl: Node): { type: string; name: string; pointer: boolean } {
  const recv = decl.childForFieldName('receiver');
  const param = namedKids(recv).find((n) => n.type === 'parameter_declaration');
  if (!param) return { type: '', name: '', pointer: false };
  let t = param.childForFieldName('type');
  let pointer = false;
  if (t?.type === 'pointer_type') {
    pointer = true;
    t = namedKids(t)[0] ?? null;
  }
  if (t?.type === 'generic_type') t = t.childForFieldName('type');
  return { type: t?.text ?? '', name: param.childForFieldName('name')?.text ?? '', pointer };
}

/** The Func record of a declaration or literal node. */
export function funcOf(index: PackageIndex, file: GoFile, node: Node): Func {
  const key = nodeKey(file, node);
  let f = index.funcByKey.get(key);
  if (!f) {
    f = { key, file, node, name: '', isMethod: false, recvType: '', recvName: '', recvPointer: false };
    index.funcByKey.set(key, f);
  }
  return f;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the package index: top-level declarations, struct fields, interface methods, imports. */
export function buildIndex(pkg: Package): PackageIndex {
  const index: PackageIndex = {
    pkg,
    funcs: new Map(),
    methods: new Map(),
    decls: [],
    topNames: new Set(),
    fieldNames: new Map(),
    interfaceMethods: new Set(),
    imports: new Map(),
    importPaths: new Map(),
    idents: new Map(),
    fieldIdents: new Map(),
    funcByKey: new Map(),
  };
  for (const file of pkg.files) {
    const names = new Set<string>();
    const paths = new Map<string, string>();
    index.importPaths.set(file.path, paths);
    for (const top of namedKids(file.root)) {
      if (top.type === 'import_declaration') {
        for (const spec of descendants(top, 'import_spec')) {
          const path = spec.childForFieldName('path')?.text.slice(1, -1) ?? '';
          const name = spec.childForFieldName('name')?.text;
          const local = name && name !== '_' && name !== '.' ? name : defaultImportName(path);
          names.add(local);
          paths.set(local, path);
        }
      } else if (top.type === 'function_declaration' || top.type === 'method_declaration') {
        const name = top.childForFieldName('name')?.text ?? '';
        const f = funcOf(index, file, top);
        f.name = name;
        if (top.type === 'method_declaration') {
          const r = receiverInfo(top);
          Object.assign(f, { isMethod: true, recvType: r.type, recvName: r.name, recvPointer: r.pointer });
          push(index.methods, name, f);
        } else {
          push(index.funcs, name, f);
          index.topNames.add(name);
        }
        index.decls.push(f);
      } else if (top.type === 'var_declaration' || top.type === 'const_declaration' || top.type === 'type_declaration') {
        for (const spec of descendants(top, ['var_spec', 'const_spec', 'type_spec', 'type_alias'])) {
          if (spec.parent?.type === 'source_file' || spec.parent?.parent?.type === 'source_file' || spec.parent?.parent?.parent?.type === 'source_file') {
            for (let i = 0; i < spec.childCount; i++) if (spec.fieldNameForChild(i) === 'name') index.topNames.add(spec.child(i)?.text ?? '');
          }
        }
      }
    }
    index.imports.set(file.path, names);
    for (const fd of descendants(file.root, 'field_declaration')) {
      for (let i = 0; i < fd.childCount; i++) {
        if (fd.fieldNameForChild(i) === 'name') {
          const n = fd.child(i)?.text ?? '';
          index.fieldNames.set(n, (index.fieldNames.get(n) ?? 0) + 1);
        }
      }
      if (!fd.childForFieldName('name')) {
        // An embedded field is known by its type's name.
        let t = fd.childForFieldName('type');
        if (t?.type === 'pointer_type') t = namedKids(t)[0] ?? null;
        if (t?.type === 'generic_type') t = t.childForFieldName('type');
        const n = t?.type === 'qualified_type' ? t.childForFieldName('name')?.text : t?.text;
        if (n) index.fieldNames.set(n, (index.fieldNames.get(n) ?? 0) + 1);
      }
    }
    for (const m of descendants(file.root, 'method_elem')) index.interfaceMethods.add(m.childForFieldName('name')?.text ?? '');
  }
  return index;
}

/** Identifier nodes of a file with the given name. */
export function identsNamed(index: PackageIndex, file: GoFile, name: string): Node[] {
  return named(index.idents, file, 'identifier', name);
}

/** Field identifier nodes (`x.name`, field declarations, keys) of a file with the given name. */
export function fieldIdentsNamed(index: PackageIndex, file: GoFile, name: string): Node[] {
  return named(index.fieldIdents, file, 'field_identifier', name);
}

/**
 * Nodes of one type in a file with the given text. The file's nodes of that type are indexed by
 * text on first use (candidates ask once each); node objects are made only for the names asked for.
 */
function named(memo: Map<string, TextIndex>, file: GoFile, type: string, name: string): Node[] {
  let index = memo.get(file.path);
  if (!index) {
    index = { positions: file.root.indexByText(type), nodes: new Map() };
    memo.set(file.path, index);
  }
  let nodes = index.nodes.get(name);
  if (!nodes) {
    nodes = (index.positions.get(name) ?? []).map((i) => file.tree.node(i)!);
    index.nodes.set(name, nodes);
  }
  return nodes;
}

/** Positions (tree indices) of a file's nodes of one type by text, and the nodes made so far. */
interface TextIndex {
  positions: Map<string, number[]>;
  nodes: Map<string, Node[]>;
}

/** True when `ident` names an import of its file (a package qualifier). */
export function isImportName(index: PackageIndex, file: GoFile, ident: Node): boolean {
  return !!index.imports.get(file.path)?.has(ident.text) && !declaredLocally(ident) && !index.topNames.has(ident.text);
}

/** What a callee expression may run: package functions and methods it resolves to, and whether it is unknown. */
export interface Targets {
  funcs: Func[];
  /** A function value we cannot see (a parameter, a func-typed field or variable). */
  unknown: boolean;
  /** A function of another package. */
  external: boolean;
}

const BUILTINS = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover',
]);

/** Resolves a callee (or a function value passed to a spawner) within the package. */
export function resolveCallee(index: PackageIndex, file: GoFile, expr: Node | null): Targets {
  const fn = innerExpr(expr);
  const none: Targets = { funcs: [], unknown: false, external: false };
  if (!fn) return none;
  if (fn.type === 'func_literal') return { funcs: [funcOf(index, file, fn)], unknown: false, external: false };
  if (fn.type === 'identifier') {
    if (declaredLocally(fn)) {
      const funcs = localLiteral(index, file, fn);
      return { funcs, unknown: funcs.length === 0, external: false };
    }
    const funcs = index.funcs.get(fn.text);
    if (funcs) return { funcs, unknown: false, external: false };
    if (BUILTINS.has(fn.text) || index.topNames.has(fn.text)) return none; // builtin or conversion to a package type
    return { funcs: [], unknown: false, external: true }; // a predeclared conversion (string, int, …)
  }
  if (fn.type === 'selector_expression') {
    const operand = innerExpr(fn.childForFieldName('operand'));
    const field = fn.childForFieldName('field')?.text ?? '';
    if (operand?.type === 'identifier' && isImportName(index, file, operand)) return { funcs: [], unknown: false, external: true };
    const funcs = index.methods.get(field) ?? [];
    const isField = (index.fieldNames.get(field) ?? 0) > 0;
    return { funcs, unknown: isField, external: funcs.length === 0 && !isField };
  }
  if (fn.type === 'index_expression' || fn.type === 'generic_type') {
    return resolveCallee(index, file, fn.childForFieldName('operand') ?? fn.childForFieldName('type'));
  }
  return { funcs: [], unknown: true, external: false };
}

/**
 * Function literals bound with `f := func(){…}` inside each function, by name. Built once per
 * function: large generated-looking functions make many local calls, and scanning the function
 * again for each of them was quadratic.
 */
const literalsByFunction = new WeakMap<PackageIndex, Map<number, Map<string, Func[]>>>();

/** `f := func(){…}` in the same function: the literal a local function variable holds. */
function localLiteral(index: PackageIndex, file: GoFile, ident: Node): Func[] {
  let fn: Node | null = ident.parent;
  while (fn && !FUNCTION_TYPES.has(fn.type)) fn = fn.parent;
  if (!fn) return [];
  let perFunction = literalsByFunction.get(index);
  if (!perFunction) {
    perFunction = new Map();
    literalsByFunction.set(index, perFunction);
  }
  let byName = perFunction.get(fn.id);
  if (!byName) {
    byName = new Map();
    for (const d of descendants(fn, 'short_var_declaration')) {
      const left = namedKids(d.childForFieldName('left'));
      const right = namedKids(d.childForFieldName('right'));
      if (left.length === 1 && right.length === 1 && right[0].type === 'func_literal') {
        const list = byName.get(left[0].text) ?? [];
        list.push(funcOf(index, file, right[0]));
        byName.set(left[0].text, list);
      }
    }
    perFunction.set(fn.id, byName);
  }
  return byName.get(ident.text) ?? [];
}

/** True for a name the outside world can call: exported functions and methods. */
export function callableFromOutside(f: Func): boolean {
  return isExported(f.name);
}
