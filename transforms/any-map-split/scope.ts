/**
 * Go's block scoping, from syntax: which local declaration (if any) an identifier refers to at a
 * given point, so a local that shadows the package-level map is never mistaken for it, and the
 * declaration (so the written type) of a local variable is found. A `:=` that may reuse a variable
 * or a range variable gives "unknown" to callers, who then refuse rather than guess.
 */
import { defaultImportName } from '../../src/imports.js';
import type { GoFile, Node } from '../../src/types.js';
import { declNames, specsOf } from './symbols.js';

function named(n: Node | null | undefined): n is Node {
  return !!n;
}

/** A local declaration found by `resolveLocal`. */
export interface LocalDecl {
  kind: 'param' | 'var' | 'short' | 'const' | 'type' | 'other';
  /** The declaring statement, spec or parameter. */
  node: Node;
  ident: Node;
  index: number;
}

function fromList(list: Node | null, name: string, kind: LocalDecl['kind'], node: Node): LocalDecl | undefined {
  if (!list) return undefined;
  const ids = list.namedChildren.filter(named);
  const i = ids.findIndex((c) => c.type === 'identifier' && c.text === name);
  return i >= 0 ? { kind, node, ident: ids[i], index: i } : undefined;
}

/** A declaration of `name` made by one statement of a block (var, const, type, `:=`). */
function declaredBy(stmt: Node, name: string): LocalDecl | undefined {
  switch (stmt.type) {
    case 'short_var_declaration':
      return fromList(stmt.childForFieldName('left'), name, 'short', stmt);
    case 'labeled_statement': {
      const inner = stmt.namedChildren.filter(named).find((c) => c.type !== 'label_name');
      return inner ? declaredBy(inner, name) : undefined;
    }
    case 'var_declaration':
    case 'const_declaration':
    case 'type_declaration':
      for (const spec of specsOf(stmt)) {
        const ids = declNames(spec);
        const i = ids.findIndex((id) => id.text === name);
        if (i >= 0) return { kind: stmt.type === 'var_declaration' ? 'var' : stmt.type === 'const_declaration' ? 'const' : 'type', node: spec, ident: ids[i], index: i };
      }
      return undefined;
    default:
      return undefined;
  }
}

/** True when a range clause or receive statement declares with `:=`. */
function definesWithColon(node: Node): boolean {
  return node.children.some((c) => c?.type === ':=');
}

function paramsDeclaring(list: Node | null, name: string): LocalDecl | undefined {
  if (!list || list.type !== 'parameter_list') return undefined;
  for (const p of list.namedChildren) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
    const ids = declNames(p);
    const i = ids.findIndex((id) => id.text === name);
    if (i >= 0) return { kind: 'param', node: p, ident: ids[i], index: i };
  }
  return undefined;
}

/** Type parameters of a function, including those a generic receiver (`*List[T]`) introduces. */
function typeParamDeclaring(fn: Node, name: string): LocalDecl | undefined {
  const tps = fn.childForFieldName('type_parameters');
  for (const d of tps?.namedChildren ?? []) {
    if (!d) continue;
    const id = declNames(d).find((x) => x.text === name);
    if (id) return { kind: 'type', node: d, ident: id, index: 0 };
  }
  const recv = fn.type === 'method_declaration' ? fn.childForFieldName('receiver') : null;
  for (const g of recv?.descendantsOfType('type_arguments') ?? []) {
    const id = g?.descendantsOfType('type_identifier').find((x) => x?.text === name);
    if (id) return { kind: 'type', node: g!, ident: id, index: 0 };
  }
  return undefined;
}

/**
 * The innermost local declaration of `name` visible at `at`, following Go's block scoping (a
 * variable's scope starts after its declaring statement). Undefined means `name` resolves at the
 * package level (or is a builtin).
 */
export function resolveLocal(name: string, at: Node): LocalDecl | undefined {
  let cur = at;
  for (let p = cur.parent; p; cur = p, p = p.parent) {
    switch (p.type) {
      case 'statement_list':
        for (let s = cur.previousNamedSibling; s; s = s.previousNamedSibling) {
          const d = declaredBy(s, name);
          if (d) return d;
        }
        break;
      case 'if_statement':
      case 'expression_switch_statement':
      case 'type_switch_statement': {
        const init = p.childForFieldName('initializer');
        if (init && !sameNode(init, cur)) {
          const d = declaredBy(init, name);
          if (d) return d;
        }
        if (p.type === 'type_switch_statement' && (cur.type === 'type_case' || cur.type === 'default_case')) {
          const d = fromList(p.childForFieldName('alias'), name, 'other', p);
          if (d) return d;
        }
        break;
      }
      case 'for_clause': {
        const init = p.childForFieldName('initializer');
        if (init && !sameNode(init, cur)) {
          const d = declaredBy(init, name);
          if (d) return { ...d, kind: 'other' };
        }
        break;
      }
      case 'for_statement': {
        if (!sameNode(p.childForFieldName('body'), cur)) break;
        for (const c of p.namedChildren) {
          if (c?.type === 'for_clause') {
            const init = c.childForFieldName('initializer');
            const d = init ? declaredBy(init, name) : undefined;
            if (d) return { ...d, kind: 'other' };
          }
          if (c?.type === 'range_clause' && definesWithColon(c)) {
            const d = fromList(c.childForFieldName('left'), name, 'other', c);
            if (d) return d;
          }
        }
        break;
      }
      case 'communication_case': {
        const comm = p.childForFieldName('communication');
        if (comm && !sameNode(comm, cur) && comm.type === 'receive_statement' && definesWithColon(comm)) {
          const d = fromList(comm.childForFieldName('left'), name, 'other', comm);
          if (d) return d;
        }
        break;
      }
      case 'func_literal':
      case 'function_declaration':
      case 'method_declaration': {
        const tp = typeParamDeclaring(p, name);
        if (tp) return tp;
        if (sameNode(p.childForFieldName('body'), cur)) {
          const d =
            paramsDeclaring(p.childForFieldName('parameters'), name) ??
            paramsDeclaring(p.childForFieldName('result'), name) ??
            paramsDeclaring(p.childForFieldName('receiver'), name);
          if (d) return d;
        }
        if (p.type !== 'func_literal') return undefined;
        break;
      }
      case 'source_file':
        return undefined;
    }
  }
  return undefined;
}

/** True when two nodes are the same syntax node (node objects are not reused by tree-sitter). */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/**
 * For a `:=` found by `resolveLocal`: true when an earlier declaration of the same name in the same
 * block (or the enclosing function's parameters) exists, so the `:=` only assigns to it and the
 * variable's type is not the right-hand side's.
 */
export function redeclares(decl: LocalDecl, name: string): boolean {
  const stmt = decl.node;
  const list = stmt.parent;
  if (!list || list.type !== 'statement_list') return true;
  for (let s = stmt.previousNamedSibling; s; s = s.previousNamedSibling) if (declaredBy(s, name)) return true;
  const fn = list.parent?.parent;
  if (list.parent?.type === 'block' && fn && (fn.type === 'function_declaration' || fn.type === 'method_declaration' || fn.type === 'func_literal')) {
    return !!(paramsDeclaring(fn.childForFieldName('parameters'), name) ?? paramsDeclaring(fn.childForFieldName('result'), name) ?? paramsDeclaring(fn.childForFieldName('receiver'), name));
  }
  return false;
}

/** Import path for a package qualifier used in `file`, or undefined. */
export function importPathOf(file: GoFile, qualifier: string): string | undefined {
  for (const decl of file.root.namedChildren) {
    if (!decl || decl.type !== 'import_declaration') continue;
    for (const spec of decl.descendantsOfType('import_spec')) {
      if (!spec) continue;
      const path = spec.childForFieldName('path')?.text.slice(1, -1);
      if (!path) continue;
      const name = spec.childForFieldName('name')?.text ?? defaultImportName(path);
      if (name === qualifier) return path;
    }
  }
  return undefined;
}

