/**
 * Candidates: package-level variables and fields of package-level struct types whose type is
 * `map[string]interface{}` or `map[string]any`, written out or through a named type of the package.
 */
import type { Model, SyntaxNode } from '../../src/go/index.js';
import { field, fields, kids } from '../../src/go/index.js';
import type { GoFile } from '../../src/types.js';
import { flat } from '../../src/text.js';

/** A map that may be split, with what its declaration alone says about it. */
export interface MapCandidate {
  kind: 'var' | 'field';
  name: string;
  file: GoFile;
  /** The declaring identifier (var) or field_identifier (field). */
  ident: SyntaxNode;
  /** var_spec or field_declaration. */
  decl: SyntaxNode;
  /** How the type reads in messages: `map[string]interface{}`, `map[string]any` or the named type. */
  label: string;
  /** The named type the map is declared through, if any. */
  namedType?: string;
  /** The struct type holding a field candidate. */
  structName?: string;
  /** Why it cannot be a split candidate at all, decided from the declaration alone. */
  problem?: string;
}

/**
 * True when `n`, at package level (a declaration's type or initialiser), names the predeclared
 * `name`: only a package-level declaration can shadow it there, so the package scope answers
 * without resolving every identifier of the package.
 */
function isUniverse(model: Model, n: SyntaxNode | null | undefined, name: string): boolean {
  return n?.text === name && !model.packageObject(name);
}

/** True for `map[string]interface{}` / `map[string]any` written out. */
function isAnyMapLiteralType(model: Model, t: SyntaxNode | undefined): boolean {
  if (t?.type !== 'map_type') return false;
  const k = field(t, 'key');
  const v = field(t, 'value');
  if (k?.type !== 'type_identifier' || !isUniverse(model, k, 'string') || !v) return false;
  if (v.type === 'interface_type') return v.namedChildCount === 0;
  return v.type === 'type_identifier' && isUniverse(model, v, 'any');
}

/** The label of an interface-map type node, directly or through a package named type; else undefined. */
export function anyMapType(model: Model, t: SyntaxNode | undefined): { label: string; named?: string } | undefined {
  if (!t) return undefined;
  if (isAnyMapLiteralType(model, t)) return { label: flat(t.text) };
  if (t.type !== 'type_identifier') return undefined;
  const o = model.packageObject(t.text);
  const spec = o?.kind === 'type' ? o.decl : undefined;
  if (!spec || field(spec, 'type_parameters')) return undefined;
  const under = field(spec, 'type');
  return isAnyMapLiteralType(model, under) ? { label: `${t.text}, a ${flat(under!.text)}`, named: t.text } : undefined;
}

/** The map type an initialiser builds: `map[string]any{…}`, `T{…}`, `make(map[string]any)`, `make(T, n)`. */
export function initMapType(model: Model, init: SyntaxNode | undefined): { label: string; named?: string } | undefined {
  if (init?.type === 'composite_literal') return anyMapType(model, field(init, 'type'));
  if (init?.type === 'call_expression' && isUniverse(model, field(init, 'function'), 'make')) return anyMapType(model, kids(field(init, 'arguments'))[0]);
  return undefined;
}

/** The specs of a var or type declaration, grouped or not. */
export function specsOf(decl: SyntaxNode): SyntaxNode[] {
  return kids(decl).flatMap((c) => (c.type.endsWith('_spec_list') ? kids(c) : [c])).filter((s) => /^(var_spec|type_spec|type_alias|const_spec)$/.test(s.type));
}

/** Candidates declared in `file` (`root` is its mirrored root). */
export function findCandidates(model: Model, file: GoFile, root: SyntaxNode): MapCandidate[] {
  const out: MapCandidate[] = [];
  for (const d of kids(root)) {
    if (d.type === 'var_declaration') {
      for (const spec of specsOf(d)) {
        const names = fields(spec, 'name');
        const values = kids(field(spec, 'value'));
        const typeNode = field(spec, 'type');
        names.forEach((id, i) => {
          const t = typeNode ? anyMapType(model, typeNode) : initMapType(model, values[i]);
          if (!t || id.text === '_') return;
          const problem = names.length > 1 ? 'it is declared together with other variables' : undefined;
          out.push({ kind: 'var', name: id.text, file, ident: id, decl: spec, label: t.label, namedType: t.named, problem });
        });
      }
    }
    if (d.type !== 'type_declaration') continue;
    for (const spec of specsOf(d)) {
      const st = field(spec, 'type');
      if (spec.type !== 'type_spec' || st?.type !== 'struct_type' || field(spec, 'type_parameters')) continue;
      const list = kids(st).find((c) => c.type === 'field_declaration_list');
      for (const f of kids(list)) {
        const t = f.type === 'field_declaration' ? anyMapType(model, field(f, 'type')) : undefined;
        if (!t) continue;
        const names = fields(f, 'name');
        for (const id of names) {
          if (id.text === '_') continue;
          const problem = names.length > 1 ? 'it is declared together with other fields' : field(f, 'tag') ? 'it has a struct tag' : undefined;
          out.push({ kind: 'field', name: id.text, file, ident: id, decl: f, label: t.label, namedType: t.named, structName: field(spec, 'name')?.text, problem });
        }
      }
    }
  }
  return out;
}
