/**
 * The maps map-rwmutex considers: package-level map variables and fields of package struct types
 * whose type is a map. Everything else (locals, maps inside other values, named map types with
 * methods, several names in one declaration) is left alone: its uses cannot be followed by name.
 */
import type { GoFile, Node } from './tree.js';
import type { PackageIndex } from './model.js';
import { calleeName, callArgs, descendants, innerExpr, isExported, namedKids } from './syntax.js';

/** A struct type declared at package level, with its field declarations. */
export interface StructInfo {
  name: string;
  file: GoFile;
  typeSpec: Node;
  structType: Node;
  /** The field declarations, comments excluded. */
  fields: Node[];
}

/** A map that may need a lock: a package-level variable or a field of a package struct. */
export interface MapCandidate {
  kind: 'var' | 'field';
  /** The variable's or the field's name. */
  name: string;
  /** How messages name it: `sessions`, `Index.words`. */
  label: string;
  file: GoFile;
  /** The declaring identifier. */
  nameNode: Node;
  /** The var_spec or field_declaration. */
  spec: Node;
  /** The top-level var_declaration (vars only). */
  decl?: Node;
  struct?: StructInfo;
}

/** Named map types of the package that have no methods (their values are plain maps). */
function plainNamedMaps(index: PackageIndex): Set<string> {
  const out = new Set<string>();
  for (const file of index.pkg.files) {
    for (const spec of descendants(file.root, 'type_spec')) {
      if (spec.parent?.parent?.type !== 'source_file' && spec.parent?.type !== 'source_file') continue;
      const name = spec.childForFieldName('name')?.text ?? '';
      if (spec.childForFieldName('type')?.type === 'map_type' && !spec.childForFieldName('type_parameters')) out.add(name);
    }
  }
  for (const list of index.methods.values()) for (const m of list) out.delete(m.recvType);
  return out;
}

function isMapType(t: Node | null, named: Set<string>): boolean {
  if (!t) return false;
  if (t.type === 'map_type') return true;
  return t.type === 'type_identifier' && named.has(t.text);
}

/** True when an initialiser expression builds a map (`map[K]V{…}`, `make(map[K]V)`). */
function isMapValue(v: Node | null, named: Set<string>): boolean {
  const e = innerExpr(v);
  if (!e) return false;
  if (e.type === 'composite_literal') return isMapType(e.childForFieldName('type'), named);
  if (e.type === 'call_expression' && calleeName(e) === 'make') return isMapType(callArgs(e)[0] ?? null, named);
  return false;
}

/** The names declared by a spec (the `name` fields). */
export function specNameNodes(spec: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < spec.childCount; i++) {
    if (spec.fieldNameForChild(i) === 'name') {
      const c = spec.child(i);
      if (c) out.push(c);
    }
  }
  return out;
}

/** Every struct type declared at package level, by name. */
export function packageStructs(index: PackageIndex): Map<string, StructInfo> {
  const out = new Map<string, StructInfo>();
  for (const file of index.pkg.files) {
    for (const top of namedKids(file.root)) {
      if (top.type !== 'type_declaration') continue;
      for (const spec of descendants(top, 'type_spec')) {
        const st = spec.childForFieldName('type');
        if (st?.type !== 'struct_type') continue;
        const list = namedKids(st).find((c) => c.type === 'field_declaration_list');
        const name = spec.childForFieldName('name')?.text ?? '';
        if (out.has(name)) out.set(name, { ...out.get(name)!, fields: [] }); // declared twice (build tags): no fields trusted
        else out.set(name, { name, file, typeSpec: spec, structType: st, fields: namedKids(list ?? null).filter((f) => f.type === 'field_declaration') });
      }
    }
  }
  return out;
}

/**
 * Package-level map variables and map fields of package struct types.
 *
 * TODO: `var a, b = map…, map…`, fields of anonymous struct variables and named map types with
 * methods are skipped: their uses cannot be followed by name alone.
 */
export function findCandidates(index: PackageIndex, structs: Map<string, StructInfo>): MapCandidate[] {
  const named = plainNamedMaps(index);
  const out: MapCandidate[] = [];
  for (const file of index.pkg.files) {
    for (const top of namedKids(file.root)) {
      if (top.type !== 'var_declaration') continue;
      for (const spec of descendants(top, 'var_spec')) {
        const names = specNameNodes(spec);
        if (names.length !== 1 || names[0].text === '_') continue;
        const values = namedKids(spec.childForFieldName('value'));
        const typed = isMapType(spec.childForFieldName('type'), named);
        if (!typed && !(values.length === 1 && isMapValue(values[0], named))) continue;
        out.push({ kind: 'var', name: names[0].text, label: names[0].text, file, nameNode: names[0], spec, decl: top });
      }
    }
  }
  for (const st of structs.values()) {
    for (const field of st.fields) {
      const names = specNameNodes(field);
      if (names.length !== 1 || !isMapType(field.childForFieldName('type'), named)) continue;
      out.push({ kind: 'field', name: names[0].text, label: `${st.name}.${names[0].text}`, file: st.file, nameNode: names[0], spec: field, struct: st });
    }
  }
  return out;
}

/** True when the candidate can be named from outside the package. */
export function exportedCandidate(c: MapCandidate): boolean {
  return isExported(c.name);
}
