/**
 * A small symbol model for goroutine-subslice: which declaration an identifier refers to.
 *
 * Deciding whether two mentions of `buf` are the same variable (and not a shadowing `buf :=` in an
 * inner block) is what keeps the parent-write and goroutine-write checks honest, so identifiers are
 * resolved by walking the enclosing blocks the way Go scopes them, never by name alone.
 */
import type { Node } from '../../src/types.js';
import { FUNC_TYPES, fields, kids, sameNode } from '../../src/go/syntax.js';
import type { PkgIndex } from './pkgindex.js';

export type DeclKind =
  | 'param'
  | 'receiver'
  | 'result'
  | 'short'
  | 'var'
  | 'const'
  | 'type'
  | 'range'
  | 'typeswitch'
  | 'recv'
  | 'package-var'
  | 'package-other';

/** One declared name: `name` is its identifier, `stmt` the declaring node, `index` its position there. */
export interface Decl {
  kind: DeclKind;
  name: Node;
  stmt: Node;
  index: number;
}

/** The specs of a var or const declaration, grouped or not. */
export function specsOf(decl: Node): Node[] {
  const out: Node[] = [];
  for (const c of kids(decl)) {
    if (c.type === 'var_spec' || c.type === 'const_spec') out.push(c);
    if (c.type === 'var_spec_list' || c.type === 'const_spec_list') out.push(...kids(c).filter((s) => s.type === 'var_spec' || s.type === 'const_spec'));
  }
  return out;
}

/** The names a statement declares in the block that holds it. */
export function declaredBy(stmt: Node): Decl[] {
  switch (stmt.type) {
    case 'short_var_declaration': {
      const left = kids(stmt.childForFieldName('left'));
      return left.filter((n) => n.type === 'identifier').map((name) => ({ kind: 'short', name, stmt, index: left.indexOf(name) }));
    }
    case 'var_declaration':
    case 'const_declaration':
      return specsOf(stmt).flatMap((spec) =>
        fields(spec, 'name').map((name, index) => ({ kind: stmt.type === 'var_declaration' ? ('var' as const) : ('const' as const), name, stmt: spec, index })),
      );
    case 'type_declaration':
      return kids(stmt)
        .map((spec) => spec.childForFieldName('name'))
        .filter((n): n is Node => !!n)
        .map((name) => ({ kind: 'type' as const, name, stmt, index: 0 }));
    default:
      return [];
  }
}

/** Parameters (or results, or the receiver) of a function node, flattened in order. */
export function paramDecls(list: Node | null, kind: DeclKind): Decl[] {
  const out: Decl[] = [];
  let index = 0;
  for (const p of kids(list)) {
    if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
    const names = fields(p, 'name');
    if (names.length === 0) index++;
    for (const name of names) out.push({ kind, name, stmt: p, index: index++ });
  }
  return out;
}

/** True when a range clause, or a receive in a select case, declares with `:=`. */
function declaresWithDefine(node: Node): boolean {
  return node.children.some((c) => c?.type === ':=');
}

function findIn(decls: Decl[], name: string): Decl | undefined {
  return decls.find((d) => d.name.text === name);
}

/**
 * The declaration `name` refers to at `at`: a local of the enclosing functions, or a package-level
 * declaration. Undefined means an import, a builtin, or something gomend does not model.
 */
export function lookup(name: string, at: Node, idx: PkgIndex): Decl | undefined {
  const local = lookupLocal(name, at);
  if (local) return local;
  const v = idx.vars.get(name);
  if (v) return v;
  if (idx.topNames.has(name)) return { kind: 'package-other', name: at, stmt: at, index: 0 };
  return undefined;
}

/**
 * The local declaration `name` refers to at `at` (a parameter, or a declaration of an enclosing
 * block or function), without asking the package index: for callers that only want locals, this
 * parses no other file.
 */
export function lookupLocal(name: string, at: Node): Decl | undefined {
  let child: Node = at;
  let node = at.parent;
  while (node) {
    const hit = lookupIn(node, child, name);
    if (hit) return hit;
    if (node.type === 'function_declaration' || node.type === 'method_declaration') break;
    child = node;
    node = node.parent;
  }
  return undefined;
}

/** Declarations of `name` that `node` makes visible to its child `child`. */
function lookupIn(node: Node, child: Node, name: string): Decl | undefined {
  switch (node.type) {
    case 'statement_list': {
      for (const stmt of kids(node)) {
        if (sameNode(stmt, child)) break;
        const d = findIn(declaredBy(stmt.type === 'labeled_statement' ? (kids(stmt)[1] ?? stmt) : stmt), name);
        if (d && !(d.kind === 'short' && declaredEarlier(d.stmt, name))) return d;
      }
      return undefined;
    }
    case 'if_statement':
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'for_clause': {
      const init = node.childForFieldName('initializer');
      if (init && !sameNode(init, child)) {
        const d = findIn(declaredBy(init), name);
        if (d) return d;
      }
      if (node.type === 'type_switch_statement' && child.type === 'type_case') {
        const alias = kids(node.childForFieldName('alias'))[0];
        if (alias?.text === name) return { kind: 'typeswitch', name: alias, stmt: node, index: 0 };
      }
      return undefined;
    }
    case 'for_statement': {
      const clause = kids(node).find((c) => c.type === 'for_clause' || c.type === 'range_clause');
      if (!clause || sameNode(clause, child)) return undefined;
      if (clause.type === 'for_clause') {
        const init = clause.childForFieldName('initializer');
        return init ? findIn(declaredBy(init), name) : undefined;
      }
      if (!declaresWithDefine(clause)) return undefined;
      const left = kids(clause.childForFieldName('left'));
      const i = left.findIndex((n) => n.text === name);
      return i >= 0 ? { kind: 'range', name: left[i], stmt: clause, index: i } : undefined;
    }
    case 'communication_case': {
      const comm = node.childForFieldName('communication');
      if (!comm || sameNode(comm, child) || comm.type !== 'receive_statement' || !declaresWithDefine(comm)) return undefined;
      const left = kids(comm.childForFieldName('left'));
      const i = left.findIndex((n) => n.text === name);
      return i >= 0 ? { kind: 'recv', name: left[i], stmt: comm, index: i } : undefined;
    }
    case 'func_literal':
    case 'function_declaration':
    case 'method_declaration': {
      return (
        findIn(paramDecls(node.childForFieldName('parameters'), 'param'), name) ??
        findIn(paramDecls(node.childForFieldName('result'), 'result'), name) ??
        (node.type === 'method_declaration' ? findIn(paramDecls(node.childForFieldName('receiver'), 'receiver'), name) : undefined)
      );
    }
    default:
      return undefined;
  }
}

/** The declaration an identifier refers to (see `lookup`). */
export function resolve(ident: Node, idx: PkgIndex): Decl | undefined {
  return lookup(ident.text, ident, idx);
}

/** A stable key for a declaration within one pass. */
export function declKey(d: Decl): string {
  return `${d.name.id}`;
}

/**
 * True when `ident` declares a name here rather than using one: `var x`, parameters, `x :=` (unless
 * `x` already exists in the same block, where `:=` assigns it), `for x := range`, `case x := <-ch`.
 */
export function declares(ident: Node): boolean {
  const p = ident.parent;
  if (!p) return false;
  switch (p.type) {
    case 'var_spec':
    case 'const_spec':
    case 'parameter_declaration':
    case 'variadic_parameter_declaration':
      return fields(p, 'name').some((n) => sameNode(n, ident));
    case 'expression_list': {
      const stmt = p.parent;
      if (!stmt) return false;
      if (stmt.type === 'type_switch_statement') return sameNode(stmt.childForFieldName('alias'), p);
      if (!sameNode(stmt.childForFieldName('left'), p)) return false;
      if (stmt.type === 'range_clause' || stmt.type === 'receive_statement') return stmt.children.some((c) => c?.type === ':=');
      return stmt.type === 'short_var_declaration' && !declaredEarlier(stmt, ident.text);
    }
    default:
      return false;
  }
}

/** True when `name` is already declared in the block where `stmt` (a `:=`) sits, so `:=` reuses it. */
export function declaredEarlier(stmt: Node, name: string): boolean {
  const list = stmt.parent;
  if (list?.type !== 'statement_list') return false;
  for (const s of kids(list)) {
    if (sameNode(s, stmt)) break;
    if (declaredBy(s).some((d) => d.name.text === name)) return true;
  }
  const fn = list.parent?.type === 'block' ? list.parent.parent : undefined;
  if (fn && FUNC_TYPES.has(fn.type) && sameNode(fn.childForFieldName('body'), list.parent)) {
    const params = [...paramDecls(fn.childForFieldName('parameters'), 'param'), ...paramDecls(fn.childForFieldName('result'), 'result'), ...paramDecls(fn.childForFieldName('receiver'), 'receiver')];
    return params.some((d) => d.name.text === name);
  }
  return false;
}
