/**
 * Facts about local declarations read off the model's objects: where a name declared in a
 * function is visible, what a name means at a given place, the value a variable is initialised
 * with, a function's parameters by position, and whether a declaring identifier declares.
 */
import type { SyntaxNode } from '../mirror.js';
import type { Model } from './model.js';
import type { Obj } from './objects.js';
import { exprList, field, kids, topLevelDecl } from './syntax.js';

const SCOPE_STMTS = new Set(['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement']);

/** True when `ident` declares the object it denotes (`x :=` that redeclares does not). */
export function isDef(model: Model, ident: SyntaxNode): boolean {
  const o = model.objectOf(ident);
  return !!o && o.ident === ident;
}

/**
 * The node whose extent is a local object's scope, and where the scope starts: a parameter's
 * function, a range or receive variable's loop or case, a type switch symbol's clause, an `if`,
 * `for` or `switch` initialiser's statement, otherwise the block around the declaration.
 * Undefined for package-level objects and objects of other packages.
 */
export function scopeOf(o: Obj): { node: SyntaxNode; from: number } | undefined {
  const d = o.decl;
  if (!d || o.pkgLevel || !o.ident) return undefined;
  if (o.param) {
    let fn = d.parent;
    while (fn && fn.type !== 'function_declaration' && fn.type !== 'method_declaration' && fn.type !== 'func_literal') fn = fn.parent;
    return fn ? { node: fn, from: fn.startIndex } : undefined;
  }
  if (o.clause) return { node: o.clause, from: o.clause.startIndex };
  if (d.type === 'range_clause') return d.parent ? { node: d.parent, from: d.endIndex } : undefined;
  if (d.type === 'receive_statement' && d.parent?.type === 'communication_case') return { node: d.parent, from: d.endIndex };
  if (d.type === 'type_parameter_declaration' || d.type === 'generic_type') {
    let owner = d.parent;
    while (owner && !['function_declaration', 'method_declaration', 'type_spec', 'type_alias'].includes(owner.type)) owner = owner.parent;
    return owner ? { node: owner, from: owner.startIndex } : undefined;
  }
  // A var, const or type spec, or a `:=`: the statement holding it, then its block or statement.
  let stmt: SyntaxNode = d;
  while (stmt.parent && stmt.parent.type !== 'statement_list' && !(stmt.parent.type === 'for_clause' || SCOPE_STMTS.has(stmt.parent.type))) stmt = stmt.parent;
  const p = stmt.parent;
  if (!p) return undefined;
  const from = d.type === 'type_spec' || d.type === 'type_alias' ? d.startIndex : d.endIndex;
  if (p.type === 'for_clause') return p.parent ? { node: p.parent, from } : undefined;
  if (SCOPE_STMTS.has(p.type)) return { node: p, from };
  return { node: p, from };
}

/** True when a local object is visible at `at` (package-level objects: always). */
export function visibleAt(o: Obj, at: SyntaxNode): boolean {
  const s = scopeOf(o);
  if (!s) return o.pkgLevel;
  return s.node.tree === at.tree && s.node.startIndex <= at.startIndex && at.endIndex <= s.node.endIndex && at.startIndex >= s.from;
}

/**
 * What `name` denotes at `at`, as if it were written there: the innermost local visible there, else
 * the file's imports, the package, Go's universe. Undefined when nothing of that name is visible.
 */
export function lookupAt(model: Model, at: SyntaxNode, name: string): Obj | undefined {
  const top = topLevelDecl(at) ?? at;
  let best: { o: Obj; start: number } | undefined;
  for (const id of top.descendantsWhere(['identifier', 'type_identifier'], (_, text) => text === name)) {
    const o = model.objectOf(id);
    if (!o || o.ident !== id || o.pkgLevel) continue;
    const s = scopeOf(o);
    if (!s || !visibleAt(o, at)) continue;
    if (!best || s.node.startIndex > best.start || (s.node.startIndex === best.start && o.ident.startIndex > best.o.ident!.startIndex)) best = { o, start: s.node.startIndex };
  }
  return best?.o ?? model.fileOf(at)?.scope.lookup(name);
}

/** The value a variable is initialised with (`x := v`, `var x = v`), when it has one of its own. */
export function initOf(o: Obj): SyntaxNode | undefined {
  const d = o.decl;
  if (o.kind !== 'var' || !d || (d.type !== 'short_var_declaration' && d.type !== 'var_spec')) return undefined;
  const left = d.type === 'short_var_declaration' ? exprList(field(d, 'left')) : d.childrenForFieldName('name');
  const values = exprList(field(d, d.type === 'short_var_declaration' ? 'right' : 'value'));
  return values.length === left.length ? values[o.index] : undefined;
}

/** The objects a statement or spec declares (`:=` names that redeclare are not among them). */
export function declaredBy(model: Model, stmt: SyntaxNode): Obj[] {
  const idents: SyntaxNode[] = [];
  if (stmt.type === 'short_var_declaration') idents.push(...exprList(field(stmt, 'left')));
  else if (stmt.type === 'var_spec' || stmt.type === 'const_spec') idents.push(...stmt.childrenForFieldName('name'));
  else if (stmt.type === 'var_declaration' || stmt.type === 'const_declaration') {
    for (const s of stmt.descendantsOfType(['var_spec', 'const_spec'])) idents.push(...s.childrenForFieldName('name'));
  } else if (stmt.type === 'type_declaration') {
    for (const s of kids(stmt)) {
      const n = field(s, 'name');
      if (n) idents.push(n);
    }
  }
  const out: Obj[] = [];
  for (const id of idents) {
    const o = model.objectOf(id);
    if (o && o.ident === id) out.push(o);
  }
  return out;
}

/** One parameter of a function, by its position among the arguments a call passes. */
export interface Param {
  pos: number;
  /** The parameter's object; undefined for an unnamed parameter or `_`. */
  obj?: Obj;
  variadic: boolean;
}

/** The parameters of a function declaration or literal, in order (unnamed ones count too). */
export function paramsOf(model: Model, fn: SyntaxNode): Param[] {
  const out: Param[] = [];
  for (const p of kids(field(fn, 'parameters'))) {
    if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
    const variadic = p.type === 'variadic_parameter_declaration';
    const names = p.childrenForFieldName('name');
    if (names.length === 0) out.push({ pos: out.length, variadic });
    for (const n of names) {
      const o = model.objectOf(n);
      out.push({ pos: out.length, obj: o && o.ident === n ? o : undefined, variadic });
    }
  }
  return out;
}
