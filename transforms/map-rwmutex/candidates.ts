/**
 * The maps map-rwmutex considers: package-level variables and fields whose type is a map, read
 * from the model's types: `map[K]V`, a type alias of one, or a named map type of the package
 * without methods (a method works on the map through its receiver, where its uses cannot be
 * followed). Fields of the package's struct types and of anonymous struct variables
 * (`var state struct{ … }`) count. Locals, maps inside other values, maps of types the model
 * cannot know, and several names in one declaration are left alone.
 */
import type { Model } from '../../src/go/model.js';
import type { Obj } from '../../src/go/objects.js';
import { underlying } from '../../src/go/types.js';
import type { Type } from '../../src/go/types.js';
import type { GoFile, Node } from './tree.js';
import type { PackageIndex } from './model.js';
import { descendants, namedKids } from './syntax.js';

/** A struct type declared at package level (or the anonymous struct of a package variable), with its field declarations. */
export interface StructInfo {
  /** The type's name, or the variable's for an anonymous struct. */
  name: string;
  file: GoFile;
  /** The type_spec, or the var_spec of an anonymous struct variable. */
  typeSpec: Node;
  structType: Node;
  /** The field declarations, comments excluded. */
  fields: Node[];
  /** The variable holding an anonymous struct. */
  anonymous?: Obj;
}

/** A map that may need a lock: a package-level variable or a field of a package struct. */
export interface MapCandidate {
  kind: 'var' | 'field';
  /** The variable's or the field's name. */
  name: string;
  /** How messages name it: `sessions`, `Index.words`, `state.m`. */
  label: string;
  file: GoFile;
  /** The declaring identifier. */
  nameNode: Node;
  /** The var_spec or field_declaration. */
  spec: Node;
  /** The top-level var_declaration (vars only). */
  decl?: Node;
  struct?: StructInfo;
  /** The variable or field object. */
  obj: Obj;
}

/** True when values of `t` are plain maps whose every use shows in the package. */
function plainMap(model: Model, t: Type): boolean {
  if (t.kind === 'named') {
    if (t.pkg !== model.path && t.pkg !== '') return false; // another package's named map (methods of its own)
    if (t.args?.length || model.methodsOf(t).length > 0) return false;
  }
  return underlying(t).kind === 'map';
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

function structFields(st: Node): Node[] {
  const list = namedKids(st).find((c) => c.type === 'field_declaration_list');
  return namedKids(list ?? null).filter((f) => f.type === 'field_declaration');
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
        const name = spec.childForFieldName('name')?.text ?? '';
        if (out.has(name)) out.set(name, { ...out.get(name)!, fields: [] }); // declared twice (build tags): no fields trusted
        else out.set(name, { name, file, typeSpec: spec, structType: st, fields: structFields(st) });
      }
    }
  }
  return out;
}

/** Map fields of a struct whose declaration names one field. */
function mapFields(index: PackageIndex, st: StructInfo, label: string): MapCandidate[] {
  const out: MapCandidate[] = [];
  for (const field of st.fields) {
    const names = specNameNodes(field);
    const t = field.childForFieldName('type');
    if (names.length !== 1 || !t || !plainMap(index.model, index.model.typeFromSyntax(t))) continue;
    const obj = index.model.objectOf(names[0]);
    if (obj?.kind !== 'field') continue;
    out.push({ kind: 'field', name: names[0].text, label: `${label}.${names[0].text}`, file: st.file, nameNode: names[0], spec: field, struct: st, obj });
  }
  return out;
}

/**
 * Package-level map variables, map fields of package struct types, and map fields of package
 * variables of an anonymous struct type declared without a value.
 *
 * TODO: `var a, b = map…, map…` and named map types with methods are skipped.
 */
export function findCandidates(index: PackageIndex, structs: Map<string, StructInfo>): MapCandidate[] {
  const { model } = index;
  const out: MapCandidate[] = [];
  for (const file of index.pkg.files) {
    for (const top of namedKids(file.root)) {
      if (top.type !== 'var_declaration') continue;
      for (const spec of descendants(top, 'var_spec')) {
        const names = specNameNodes(spec);
        if (names.length !== 1 || names[0].text === '_') continue;
        const obj = model.objectOf(names[0]);
        if (obj?.kind !== 'var' || !obj.pkgLevel) continue;
        const typeNode = spec.childForFieldName('type');
        if (typeNode?.type === 'struct_type' && !spec.childForFieldName('value')) {
          const st: StructInfo = { name: names[0].text, file, typeSpec: spec, structType: typeNode, fields: structFields(typeNode), anonymous: obj };
          out.push(...mapFields(index, st, st.name));
          continue;
        }
        if (!plainMap(model, model.typeOfObj(obj))) continue;
        out.push({ kind: 'var', name: names[0].text, label: names[0].text, file, nameNode: names[0], spec, decl: top, obj });
      }
    }
  }
  for (const st of structs.values()) out.push(...mapFields(index, st, st.name));
  return out;
}
