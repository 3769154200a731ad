/**
 * Does an identifier inside a function refer to a local declaration?
 *
 * map-rwmutex must find every use of a package-level map, and only those: a local variable or a
 * parameter with the same name shadows it. This walks from the identifier up to the package level
 * and looks, at each scope, for a declaration of the name that is visible at that point (earlier
 * statements of a block, if/for/switch initialisers, case receives, parameters and results).
 */
import type { Node } from './tree.js';
import { namedKids } from './syntax.js';

/** Identifiers declared by a spec list (var, const, type) or one spec. */
function specNames(decl: Node): string[] {
  const out: string[] = [];
  for (const spec of decl.descendantsOfType(['var_spec', 'const_spec', 'type_spec', 'type_alias'])) {
    if (!spec) continue;
    for (let i = 0; i < spec.childCount; i++) {
      if (spec.fieldNameForChild(i) === 'name') {
        const c = spec.child(i);
        if (c) out.push(c.text);
      }
    }
  }
  return out;
}

/** Identifiers on the left of a `:=`. */
function leftNames(node: Node): string[] {
  const left = node.childForFieldName('left');
  return namedKids(left).filter((n) => n.type === 'identifier').map((n) => n.text);
}

/** True when `stmt`, a statement of a block, declares `name` for the statements after it. */
export function statementDeclares(stmt: Node, name: string): boolean {
  switch (stmt.type) {
    case 'short_var_declaration':
      return leftNames(stmt).includes(name);
    case 'var_declaration':
    case 'const_declaration':
    case 'type_declaration':
      return specNames(stmt).includes(name);
    case 'labeled_statement': {
      const inner = namedKids(stmt).find((c) => c.type !== 'label_name');
      return !!inner && statementDeclares(inner, name);
    }
    default:
      return false;
  }
}

/** True when a parameter list (parameters, results, receiver, type parameters) names `name`. */
function paramsDeclare(list: Node | null, name: string): boolean {
  if (!list) return false;
  for (const p of list.namedChildren) {
    if (!p) continue;
    if (p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration' || p.type === 'type_parameter_declaration') {
      for (let i = 0; i < p.childCount; i++) {
        if (p.fieldNameForChild(i) === 'name' && p.child(i)?.text === name) return true;
      }
    }
  }
  return false;
}

/** True when a function node's signature declares `name`. */
export function signatureDeclares(fn: Node, name: string): boolean {
  if (paramsDeclare(fn.childForFieldName('parameters'), name)) return true;
  if (paramsDeclare(fn.childForFieldName('receiver'), name)) return true;
  if (paramsDeclare(fn.childForFieldName('type_parameters'), name)) return true;
  const result = fn.childForFieldName('result');
  return !!result && result.type === 'parameter_list' && paramsDeclare(result, name);
}

/** True when a header statement (an if/for/switch initialiser, a range or receive with `:=`) declares `name`. */
function headerDeclares(node: Node | null, name: string): boolean {
  if (!node) return false;
  if (node.type === 'short_var_declaration') return leftNames(node).includes(name);
  if (node.type === 'range_clause' || node.type === 'receive_statement') {
    if (!node.children.some((c) => c?.type === ':=')) return false;
    return leftNames(node).includes(name);
  }
  if (node.type === 'for_clause') return headerDeclares(node.childForFieldName('initializer'), name);
  return false;
}

/**
 * Declaring statements of each statement list, by name, while one package is analysed. Without it
 * every identifier walked its block's earlier statements again, which was quadratic in functions
 * with thousands of statements. Node ids are only unique among live trees, so the cache lives for
 * one synchronous analysis (`withScopeCache`) and never longer.
 */
let declsByList: Map<number, Map<string, Node[]>> | undefined;

/** Runs `fn` with the statement-list cache on; nothing of it survives the call. */
export function withScopeCache<T>(fn: () => T): T {
  const outer = declsByList;
  declsByList = new Map();
  try {
    return fn();
  } finally {
    declsByList = outer;
  }
}

function declaringStatements(list: Node): Map<string, Node[]> {
  let byName = declsByList!.get(list.id);
  if (!byName) {
    byName = new Map();
    for (const st of list.namedChildren) {
      if (!st) continue;
      for (const name of declaredNames(st)) {
        const l = byName.get(name) ?? [];
        l.push(st);
        byName.set(name, l);
      }
    }
    declsByList!.set(list.id, byName);
  }
  return byName;
}

/** The names a statement of a block declares for the statements after it. */
function declaredNames(stmt: Node): string[] {
  switch (stmt.type) {
    case 'short_var_declaration':
      return leftNames(stmt);
    case 'var_declaration':
    case 'const_declaration':
    case 'type_declaration':
      return specNames(stmt);
    case 'labeled_statement': {
      const inner = namedKids(stmt).find((c) => c.type !== 'label_name');
      return inner ? declaredNames(inner) : [];
    }
    default:
      return [];
  }
}

/**
 * True when the identifier `ident` refers to something declared inside a function (so not to the
 * package-level object of that name).
 */
export function declaredLocally(ident: Node): boolean {
  return declarationOf(ident) !== null;
}

/**
 * The node that declares the local `ident` refers to (a statement, a header, a parameter list's
 * function, a case), or null when it is not declared inside a function.
 */
export function declarationOf(ident: Node): Node | null {
  const name = ident.text;
  let child: Node = ident;
  for (let p = ident.parent; p; child = p, p = p.parent) {
    switch (p.type) {
      case 'source_file':
        return null;
      case 'short_var_declaration':
        if (p.childForFieldName('left')?.equals(child)) return p;
        break;
      case 'var_spec':
      case 'const_spec':
        if (p.parent?.type !== 'source_file' && p.parent?.parent?.type !== 'source_file') {
          for (let i = 0; i < p.childCount; i++) if (p.fieldNameForChild(i) === 'name' && p.child(i)?.equals(child)) return p;
        }
        break;
      case 'statement_list':
        if (declsByList) {
          const first = declaringStatements(p).get(name)?.[0];
          if (first && first.startIndex < child.startIndex) return first;
          break;
        }
        for (const s of p.namedChildren) {
          if (!s || s.startIndex >= child.startIndex) break;
          if (statementDeclares(s, name)) return s;
        }
        break;
      case 'if_statement':
      case 'expression_switch_statement': {
        const init = p.childForFieldName('initializer');
        if (init && !init.equals(child) && headerDeclares(init, name)) return init;
        break;
      }
      case 'type_switch_statement': {
        const init = p.childForFieldName('initializer');
        if (init && !init.equals(child) && headerDeclares(init, name)) return init;
        const alias = p.childForFieldName('alias');
        const value = p.childForFieldName('value');
        const aliased = !!alias && namedKids(alias).some((n) => n.text === name);
        if (aliased && !child.equals(alias!) && !(value && child.equals(value)) && !(init && child.equals(init))) return p;
        break;
      }
      case 'for_statement': {
        const header = p.namedChildren.find((c) => c?.type === 'for_clause' || c?.type === 'range_clause');
        if (header && !header.equals(child) && headerDeclares(header, name)) return header;
        break;
      }
      case 'for_clause': {
        const init = p.childForFieldName('initializer');
        if (init && !init.equals(child) && headerDeclares(init, name)) return init;
        break;
      }
      case 'range_clause':
      case 'receive_statement':
        if (p.childForFieldName('left')?.equals(child) && p.children.some((c) => c?.type === ':=')) return p;
        break;
      case 'communication_case': {
        const comm = p.childForFieldName('communication');
        if (comm && !comm.equals(child) && headerDeclares(comm, name)) return comm;
        break;
      }
      case 'func_literal':
      case 'function_declaration':
      case 'method_declaration':
        if (signatureDeclares(p, name)) return p;
        break;
      default:
        break;
    }
  }
  return null;
}
