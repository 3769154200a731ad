/**
 * Candidates: package-level variables and fields of package-level struct types whose type is
 * `map[string]interface{}` or `map[string]any`, written out or through a named type of the package.
 */
import type { GoFile, Node } from '../../src/types.js';
import { predeclared } from './gotypes.js';
import { declNames, specsOf } from './symbols.js';
import type { PkgIndex } from './symbols.js';

/** A map that may be split, with what its declaration alone says about it. */
export interface MapCandidate {
  kind: 'var' | 'field';
  name: string;
  file: GoFile;
  /** The declaring identifier (var) or field_identifier (field). */
  ident: Node;
  /** var_spec or field_declaration. */
  decl: Node;
  /** How the type reads in messages: `map[string]interface{}`, `map[string]any` or the named type. */
  label: string;
  /** The named type the map is declared through, if any. */
  namedType?: string;
  /** The struct type holding a field candidate. */
  structName?: string;
  /** Why it cannot be a split candidate at all, decided from the declaration alone. */
  problem?: string;
}

/** True for `map[string]interface{}` / `map[string]any` written out. */
function isAnyMapLiteralType(idx: PkgIndex, t: Node | null): boolean {
  if (!t || t.type !== 'map_type') return false;
  const k = t.childForFieldName('key');
  const v = t.childForFieldName('value');
  if (!k || k.type !== 'type_identifier' || k.text !== 'string' || !predeclared(idx, 'string', k)) return false;
  if (!v) return false;
  if (v.type === 'interface_type') return v.namedChildCount === 0;
  return v.type === 'type_identifier' && v.text === 'any' && predeclared(idx, 'any', v);
}

/** The label of an interface-map type node, directly or through a package named type; else undefined. */
export function anyMapType(idx: PkgIndex, t: Node | null): { label: string; named?: string } | undefined {
  if (!t) return undefined;
  if (isAnyMapLiteralType(idx, t)) return { label: t.text.replace(/\s+/g, '') };
  if (t.type !== 'type_identifier') return undefined;
  const decls = idx.top.get(t.text);
  if (!decls || decls.length !== 1 || decls[0].kind !== 'type') return undefined;
  const spec = decls[0].node;
  if (spec.childForFieldName('type_parameters')) return undefined;
  const under = spec.childForFieldName('type');
  return under && isAnyMapLiteralType(idx, under) ? { label: `${t.text}, a ${under.text.replace(/\s+/g, "")}`, named: t.text } : undefined;
}

/** The map type an initialiser builds: `map[string]any{…}`, `T{…}`, `make(map[string]any)`, `make(T, n)`. */
export function initMapType(idx: PkgIndex, init: Node | null): { label: string; named?: string } | undefined {
  if (!init) return undefined;
  if (init.type === 'composite_literal') return anyMapType(idx, init.childForFieldName('type'));
  if (init.type === 'call_expression') {
    const fn = init.childForFieldName('function');
    if (fn?.type !== 'identifier' || fn.text !== 'make' || !predeclared(idx, 'make', fn)) return undefined;
    const first = init.childForFieldName('arguments')?.namedChildren[0] ?? null;
    return anyMapType(idx, first);
  }
  return undefined;
}

/** Candidates declared in `file`. */
export function findCandidates(idx: PkgIndex, file: GoFile): MapCandidate[] {
  const out: MapCandidate[] = [];
  for (const d of file.root.namedChildren) {
    if (!d) continue;
    if (d.type === 'var_declaration') {
      for (const spec of specsOf(d)) {
        const names = declNames(spec);
        const values = spec.childForFieldName('value')?.namedChildren ?? [];
        names.forEach((id, i) => {
          const typeNode = spec.childForFieldName('type');
          const t = typeNode ? anyMapType(idx, typeNode) : initMapType(idx, values[i] ?? null);
          if (!t || id.text === '_') return;
          const problem = names.length > 1 ? 'it is declared together with other variables' : undefined;
          out.push({ kind: 'var', name: id.text, file, ident: id, decl: spec, label: t.label, namedType: t.named, problem });
        });
      }
    }
    if (d.type === 'type_declaration') {
      for (const spec of specsOf(d)) {
        const st = spec.childForFieldName('type');
        if (spec.type !== 'type_spec' || st?.type !== 'struct_type' || spec.childForFieldName('type_parameters')) continue;
        const list = st.namedChildren.find((c) => c?.type === 'field_declaration_list');
        for (const f of list?.namedChildren ?? []) {
          if (!f || f.type !== 'field_declaration') continue;
          const t = anyMapType(idx, f.childForFieldName('type'));
          const names = f.childrenForFieldName('name').filter((n): n is Node => !!n);
          if (!t) continue;
          for (const id of names) {
            if (id.text === '_') continue;
            const problem = names.length > 1 ? 'it is declared together with other fields' : f.childForFieldName('tag') ? 'it has a struct tag' : undefined;
            out.push({ kind: 'field', name: id.text, file, ident: id, decl: f, label: t.label, namedType: t.named, structName: spec.childForFieldName('name')?.text, problem });
          }
        }
      }
    }
  }
  return out;
}
