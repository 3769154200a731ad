/**
 * Every place in the package that refers to a candidate map: identifiers resolving to the
 * package-level variable (not to a local that shadows it), selectors naming the field, and keys of
 * the struct's composite literals. A reference gomend cannot attribute for sure stops the fix.
 */
import type { GoFile, Node } from '../../src/types.js';
import type { MapCandidate } from './candidates.js';
import { resolveLocal, sameNode } from './scope.js';
import type { PkgIndex } from './symbols.js';

/** A reference: `expr` is the identifier or selector expression, `name` the node renamed. */
export interface Ref {
  file: GoFile;
  expr: Node;
  name: Node;
}

/** A keyed element `field: value` of a composite literal of the candidate's struct. */
export interface LiteralInit {
  file: GoFile;
  elem: Node;
}

/** All references of a candidate, or the problem that makes them unknowable. */
export interface RefScan {
  refs: Ref[];
  inits: LiteralInit[];
  problem?: string;
}

/** `file.go:line` of a node, for messages. */
export function where(file: GoFile, n: Node): string {
  return `${file.path.split('/').pop()}:${n.startPosition.row + 1}`;
}

/** True when an identifier occurrence declares a local (or is a declaration at all), not a use. */
function declaring(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.type) {
    case 'var_spec':
    case 'const_spec':
    case 'parameter_declaration':
    case 'variadic_parameter_declaration':
    case 'type_parameter_declaration':
    case 'function_declaration':
      return true;
    case 'expression_list': {
      const g = p.parent;
      if (!g) return false;
      if (g.type === 'short_var_declaration') return sameNode(g.childForFieldName('left'), p);
      if (g.type === 'range_clause' || g.type === 'receive_statement') return sameNode(g.childForFieldName('left'), p) && g.children.some((c) => c?.type === ':=');
      if (g.type === 'type_switch_statement') return sameNode(g.childForFieldName('alias'), p);
      return false;
    }
    default:
      return false;
  }
}

/** The composite literal a keyed element belongs to. */
function literalOf(elem: Node): Node | undefined {
  const lv = elem.parent;
  return lv?.type === 'literal_value' && lv.parent?.type === 'composite_literal' ? lv.parent : undefined;
}

function scanVar(idx: PkgIndex, c: MapCandidate): RefScan {
  const refs: Ref[] = [];
  for (const file of idx.pkg.files) {
    if (!file.source.includes(c.name)) continue;
    for (const id of file.root.descendantsOfType('identifier')) {
      if (!id || id.text !== c.name) continue;
      if (file === c.file && sameNode(id, c.ident)) continue;
      if (id.parent?.type === 'literal_element' && id.parent.parent?.type === 'keyed_element' && sameNode(id.parent.parent.childForFieldName('key'), id.parent)) {
        const lit = literalOf(id.parent.parent);
        if (lit?.childForFieldName('type')?.type !== 'map_type') continue;
      }
      if (declaring(id)) {
        if (!id.parent || !isTopLevel(id.parent)) continue;
        return { refs, inits: [], problem: `it is declared more than once (${where(file, id)})` };
      }
      if (resolveLocal(c.name, id)) continue;
      refs.push({ file, expr: id, name: id });
    }
  }
  return { refs, inits: [] };
}

function isTopLevel(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'source_file') return true;
    if (p.type === 'block' || p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return false;
  }
  return false;
}

/** The field name must mean this field wherever it appears: unique among fields and methods. */
function fieldNameProblem(idx: PkgIndex, c: MapCandidate): string | undefined {
  let fields = 0;
  for (const file of idx.pkg.files) {
    if (!file.source.includes(c.name)) continue;
    for (const f of file.root.descendantsOfType('field_declaration')) {
      if (!f) continue;
      const names = f.childrenForFieldName('name');
      if (names.length === 0) {
        const t = f.childForFieldName('type');
        const last = t?.type === 'qualified_type' ? t.childForFieldName('name') : t;
        if (last?.text === c.name) fields++;
      } else fields += names.filter((n) => n?.text === c.name).length;
    }
    for (const m of [...file.root.descendantsOfType('method_declaration'), ...file.root.descendantsOfType('method_elem')]) {
      if (m?.childForFieldName('name')?.text === c.name) return `the package also has a method named ${c.name}`;
    }
  }
  return fields === 1 ? undefined : `another struct of the package has a field named ${c.name}`;
}

function scanField(idx: PkgIndex, c: MapCandidate): RefScan {
  const refs: Ref[] = [];
  const inits: LiteralInit[] = [];
  const problem = fieldNameProblem(idx, c);
  if (problem) return { refs, inits, problem };
  for (const file of idx.pkg.files) {
    if (!file.source.includes(c.name) && !(c.structName && file.source.includes(c.structName))) continue;
    for (const sel of file.root.descendantsOfType('selector_expression')) {
      const f = sel?.childForFieldName('field');
      if (sel && f && f.text === c.name) refs.push({ file, expr: sel, name: f });
    }
    for (const lit of file.root.descendantsOfType('composite_literal')) {
      if (!lit) continue;
      const t = lit.childForFieldName('type');
      const body = lit.childForFieldName('body');
      const ours = t?.type === 'type_identifier' && t.text === c.structName && !resolveLocal(t.text, t);
      for (const el of body?.namedChildren ?? []) {
        if (!el) continue;
        if (ours && el.type === 'literal_element') return { refs, inits, problem: `${c.structName} is built with an unkeyed composite literal (${where(file, lit)})` };
        if (el.type !== 'keyed_element') continue;
        const key = el.childForFieldName('key');
        if (key?.namedChildren[0]?.type !== 'identifier' || key.text !== c.name) continue;
        if (ours) inits.push({ file, elem: el });
        else if (t?.type !== 'map_type') return { refs, inits, problem: `a composite literal of another type names ${c.name} (${where(file, lit)})` };
      }
    }
    for (const lv of file.root.descendantsOfType('literal_value')) {
      if (!lv || lv.parent?.type === 'composite_literal') continue;
      for (const el of lv.namedChildren) {
        const key = el?.type === 'keyed_element' ? el.childForFieldName('key') : null;
        if (key?.namedChildren[0]?.type === 'identifier' && key.text === c.name) {
          return { refs, inits, problem: `a composite literal with an elided type names ${c.name} (${where(file, lv)})` };
        }
      }
    }
  }
  return { refs, inits };
}

/** All references to the candidate across the package. */
export function scanRefs(idx: PkgIndex, c: MapCandidate): RefScan {
  return c.kind === 'var' ? scanVar(idx, c) : scanField(idx, c);
}
