/**
 * The ordinary roots of the goroutine model: functions that code outside the package (or the
 * runtime) may call at any time, from any goroutine. Exported functions and methods, `main`,
 * `init` and tests are roots, except the exported methods of an unexported type whose values
 * never leave the package: outside code cannot name the type, so it can call those methods only
 * on a value it was given, directly (an exported signature, variable or field holding it, or a
 * struct embedding it) or through an interface (the value passed to another package, or stored,
 * returned or sent where an interface is expected). Such methods are reached only through the
 * package's own calls, which the call graph follows.
 */
import type { Type } from '../../src/go/index.js';
import { namedOf, underlying } from '../../src/go/index.js';
import type { Node } from './tree.js';
import type { Func, PackageIndex } from './model.js';
import { resolveCallee } from './model.js';
import { callArgs, descendants, FUNCTION_TYPE_LIST, innerExpr, isExported, namedKids } from './syntax.js';

/** True when `f` is a root: callable from outside the package or by the runtime. */
export function isRoot(f: Func, hidden: Set<string>): boolean {
  if (f.node.type === 'func_literal') return false;
  if (f.name === 'main' || f.name === 'init') return true;
  if (isExported(f.name)) return !(f.isMethod && hidden.has(f.recvType));
  return f.file.isTest && /^(Test|Benchmark|Fuzz|Example)/.test(f.name);
}

/**
 * The unexported types with exported methods whose values never leave the package, as far as
 * the package's text and types show, among those `asked` about; empty when any of it cannot be
 * read.
 */
export function hiddenTypes(index: PackageIndex, asked: (type: string) => boolean = () => true): Set<string> {
  const candidates = new Set(index.decls.filter((f) => f.isMethod && isExported(f.name) && f.recvType && !isExported(f.recvType)).map((f) => f.recvType));
  for (const t of candidates) if (!asked(t)) candidates.delete(t);
  if (candidates.size === 0 || index.pkg.files.some((f) => f.hasError)) return new Set();
  const escaped = new Set<string>();
  const mark = (n: Node | null): void => {
    if (!n) return;
    if (n.type === 'type_identifier' && candidates.has(n.text)) escaped.add(n.text);
    for (const t of descendants(n, 'type_identifier')) if (candidates.has(t.text)) escaped.add(t.text);
  };
  for (const file of index.pkg.files) {
    for (const top of namedKids(file.root)) apiMentions(top, mark);
    // A struct embedding the type has its methods; a type assertion to it found it in an interface.
    for (const fd of descendants(file.root, 'field_declaration')) if (!fd.childForFieldName('name')) mark(fd.childForFieldName('type'));
    for (const ta of descendants(file.root, 'type_assertion_expression')) mark(ta.childForFieldName('type'));
    for (const tc of descendants(file.root, 'type_case')) for (const t of tc.childrenForFieldName('type')) mark(t);
    // An exported field of any struct: outside code holding the struct reaches the value.
    for (const fd of descendants(file.root, 'field_declaration')) if (fd.childrenForFieldName('name').some((n) => isExported(n.text))) mark(fd.childForFieldName('type'));
  }
  const rest = new Set([...candidates].filter((n) => !escaped.has(n)));
  if (rest.size > 0) for (const n of leaks(index, rest) ?? rest) escaped.add(n);
  return new Set([...candidates].filter((n) => !escaped.has(n)));
}

/** Marks what an exported declaration shows outside code: signatures, exported fields, variables and constants. */
function apiMentions(top: Node, mark: (n: Node | null) => void): void {
  const name = top.childForFieldName('name')?.text ?? '';
  if (top.type === 'function_declaration' || top.type === 'method_declaration') {
    if (!isExported(name)) return;
    mark(top.childForFieldName('type_parameters'));
    mark(top.childForFieldName('parameters'));
    mark(top.childForFieldName('result'));
    return;
  }
  if (top.type === 'var_declaration' || top.type === 'const_declaration') {
    for (const spec of descendants(top, ['var_spec', 'const_spec'])) {
      if (namedKids(spec).some((k) => k.type === 'identifier' && isExported(k.text))) mark(spec);
    }
    return;
  }
  if (top.type !== 'type_declaration') return;
  for (const spec of namedKids(top)) {
    if (!isExported(spec.childForFieldName('name')?.text ?? '')) continue;
    const t = spec.childForFieldName('type');
    if (t?.type !== 'struct_type') {
      mark(t);
      continue;
    }
    for (const fd of descendants(t, 'field_declaration')) {
      const names = fd.childrenForFieldName('name');
      if (names.length === 0 || names.some((n) => isExported(n.text))) mark(fd.childForFieldName('type'));
    }
  }
}

/**
 * The types of `names` some value of which is handed where an interface (or another package) takes
 * it: an argument of another package's function or of a parameter not declared with the type, a
 * result, assignment, keyed field, variable or send whose destination is not declared with it.
 */
function leaks(index: PackageIndex, names: Set<string>): Set<string> | undefined {
  const out = new Set<string>();
  const model = index.model;
  const may = holderNames(index, names);
  if (!may) return undefined;
  const of = (e: Node | null): string | undefined => {
    const x = innerExpr(e);
    if (!x || !may(x.text)) return undefined;
    try {
      return mentioned(index, model.typeOf(x), names);
    } catch {
      return undefined;
    }
  };
  const declares = (typeNode: Node | null, name: string): boolean => !!typeNode && (typeNode.text === name || descendants(typeNode, 'type_identifier').some((t) => t.text === name));
  const check = (value: Node | null, dest: Node | null | 'external'): void => {
    const n = of(value);
    if (n && (dest === 'external' || !declares(dest, n))) out.add(n);
  };
  for (const file of index.pkg.files) {
    for (const node of descendants(file.root, ['call_expression', 'return_statement', 'assignment_statement', 'var_spec', 'keyed_element', 'literal_element', 'send_statement'])) {
      if (node.type === 'call_expression') {
        const fnExpr = node.childForFieldName('function');
        if (innerExpr(fnExpr)?.type === 'identifier' && ['append', 'len', 'cap', 'delete', 'copy', 'new', 'make'].includes(innerExpr(fnExpr)!.text)) continue;
        if (!callArgs(node).some((a) => may(a.text))) continue;
        const t = resolveCallee(index, file, fnExpr);
        const params = t.funcs.length === 1 && !t.unknown && !t.external ? paramTypes(t.funcs[0].node) : undefined;
        callArgs(node).forEach((a, i) => check(a, params ? (params[i] ?? params[params.length - 1] ?? null) : 'external'));
      } else if (node.type === 'return_statement') {
        const fn = node.closest(FUNCTION_TYPE_LIST);
        const result = fn?.childForFieldName('result') ?? null;
        for (const v of namedKids(namedKids(node)[0] ?? null)) check(v, result);
        if (namedKids(node)[0] && namedKids(node)[0].type !== 'expression_list') check(namedKids(node)[0], result);
      } else if (node.type === 'assignment_statement') {
        const left = namedKids(node.childForFieldName('left'));
        namedKids(node.childForFieldName('right')).forEach((v, i) => {
          const l = left[i];
          if (of(v) && !(l && of(l))) check(v, null);
        });
      } else if (node.type === 'var_spec') {
        // An exported package variable holds what outside code can reach, whatever its type says.
        let decl = node.parent;
        while (decl && decl.type !== 'var_declaration') decl = decl.parent;
        const exported = decl?.parent?.type === 'source_file' && namedKids(node).some((k) => k.type === 'identifier' && isExported(k.text));
        const type = exported ? null : node.childForFieldName('type');
        if (type || exported) for (const v of namedKids(node.childForFieldName('value'))) check(v, type);
      } else if (node.type === 'keyed_element' || node.parent?.type === 'literal_value') {
        const keyed = node.type === 'keyed_element';
        const v = keyed ? node.childForFieldName('value') : node;
        const value = v?.type === 'literal_element' ? (namedKids(v)[0] ?? null) : v;
        const n = of(value);
        if (n && !elementDeclared(index, node.parent?.parent ?? null, keyed ? node.childForFieldName('key') : null, n)) out.add(n);
      } else if (node.type === 'send_statement') {
        const ch = node.childForFieldName('channel');
        const n = of(node.childForFieldName('value'));
        if (n && !(ch && of(ch) === n)) out.add(n);
      }
    }
  }
  return out;
}

/** Most names `holderNames` follows before giving up. */
const HOLDER_LIMIT = 300;

/**
 * A test on an expression's text that is false only when the expression cannot hold a value of
 * the types `names`: it names none of them, and no declaration (field, parameter, variable,
 * function result) whose type mentions one, nor a local set from such a name. It spares asking
 * the model the type of every argument in the package. Undefined when the names are too many to
 * spare anything.
 */
function holderNames(index: PackageIndex, names: Set<string>): ((text: string) => boolean) | undefined {
  const words = new Set(names);
  const mentions = (n: Node | null): boolean => !!n && (n.type === 'type_identifier' ? names.has(n.text) : descendants(n, 'type_identifier').some((t) => names.has(t.text)));
  const lefts: [readonly Node[], Node][] = [];
  for (const file of index.pkg.files) {
    for (const d of descendants(file.root, ['field_declaration', 'parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'function_declaration', 'method_declaration', 'method_elem', 'short_var_declaration', 'range_clause', 'receive_statement'])) {
      if (d.type === 'short_var_declaration' || d.type === 'range_clause' || d.type === 'receive_statement') {
        const right = d.childForFieldName('right');
        if (right) lefts.push([namedKids(d.childForFieldName('left')), right]);
        continue;
      }
      const isFunc = d.type === 'function_declaration' || d.type === 'method_declaration' || d.type === 'method_elem';
      if (d.type === 'var_spec' && !d.childForFieldName('type')) {
        const value = d.childForFieldName('value');
        if (value) lefts.push([d.childrenForFieldName('name'), value]);
        continue;
      }
      if (!mentions(d.childForFieldName(isFunc ? 'result' : 'type'))) continue;
      for (const n of d.childrenForFieldName('name')) words.add(n.text);
    }
  }
  const word = (): RegExp => new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...words].join('|')})(?![\\p{L}\\p{N}_])`, 'u');
  // Locals set from a holder hold one too: followed until nothing new is found.
  for (let re = word(), changed = true; changed && words.size <= HOLDER_LIMIT; re = word()) {
    changed = false;
    for (const [left, right] of lefts) {
      if (!re.test(right.text)) continue;
      for (const l of left) if (l.type === 'identifier' && !words.has(l.text)) words.add(l.text), (changed = true);
    }
  }
  // Past a few hundred names the test passes nearly every expression: asking the model of each
  // costs seconds in a large package, so the types count as leaving it, as they did before.
  if (words.size > HOLDER_LIMIT) return undefined;
  const re = word();
  return (text) => re.test(text);
}

/**
 * True when an element of composite literal `lit` (under `key`, for a keyed one) goes where the
 * literal's type declares a type mentioning `name`: a struct field, or the element of a slice,
 * array or map literal.
 */
function elementDeclared(index: PackageIndex, lit: Node | null, key: Node | null, name: string): boolean {
  if (lit?.type !== 'composite_literal') return false;
  try {
    const t = underlying(index.model.typeOf(lit));
    if (t.kind === 'struct') {
      const k = key ? innerExpr(namedKids(key)[0] ?? null) : null;
      const field = k ? t.fields.find((f) => f.name === k.text) : undefined;
      return !!field && mentioned(index, field.type, new Set([name])) === name;
    }
    if (t.kind === 'slice' || t.kind === 'array' || t.kind === 'map') return mentioned(index, t.elem, new Set([name])) === name;
  } catch {
    return false;
  }
  return false;
}

/** The parameter type nodes of a declaration or literal, one per parameter. */
function paramTypes(fn: Node): (Node | null)[] {
  const out: (Node | null)[] = [];
  for (const p of namedKids(fn.childForFieldName('parameters'))) {
    const n = Math.max(1, p.childrenForFieldName('name').length);
    for (let i = 0; i < n; i++) out.push(p.childForFieldName('type'));
  }
  return out;
}

/** The name among `names` of a package type that `t` holds: `T`, `*T`, `[]T`, `map[K]T`, `chan T`. */
function mentioned(index: PackageIndex, t: Type, names: Set<string>, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const n = namedOf(t);
  if (n) return names.has(n.name) && (n.pkg === '' || n.pkg === index.model.path) ? n.name : undefined;
  switch (t.kind) {
    case 'pointer':
    case 'slice':
    case 'array':
    case 'chan':
      return mentioned(index, t.elem, names, depth + 1);
    case 'map':
      return mentioned(index, t.key, names, depth + 1) ?? mentioned(index, t.elem, names, depth + 1);
    default:
      return undefined;
  }
}
