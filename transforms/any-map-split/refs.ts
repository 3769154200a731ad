/**
 * Every place in the package that refers to a candidate map, by the model's resolution: the uses
 * of the package-level variable (a local that shadows it is another object), the selectors whose
 * field is the struct's field (by the operand's type, promoted fields included) and the keys of
 * the struct's composite literals. A selector or key of the same name the model cannot resolve
 * may be the field: it stops the fix.
 */
import type { Model, Obj, SyntaxNode } from '../../src/go/index.js';
import { field, kids, namedOf } from '../../src/go/index.js';
import type { GoFile } from '../../src/types.js';
import type { MapCandidate } from './candidates.js';
import { specsOf } from './candidates.js';
import { Decline } from './emit.js';
import { flat } from '../../src/text.js';

/** A reference: `expr` is the identifier or selector expression, `name` the node renamed. */
export interface Ref {
  file: GoFile;
  expr: SyntaxNode;
  name: SyntaxNode;
}

/** A keyed element `field: value` of a composite literal of the candidate's struct. */
export interface LiteralInit {
  file: GoFile;
  elem: SyntaxNode;
}

/** `file.go:line` of a node, for messages. */
export function where(file: GoFile, n: SyntaxNode): string {
  return `${file.path.split('/').pop()}:${n.startPosition.row + 1}`;
}

/** The package-level names declared in a file's root. */
function topLevelNames(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const d of kids(root)) {
    if (d.type === 'function_declaration') out.push(...[field(d, 'name')].filter((n): n is SyntaxNode => !!n));
    else if (/^(var|const|type)_declaration$/.test(d.type)) for (const s of specsOf(d)) out.push(...s.childrenForFieldName('name'));
  }
  return out;
}

/** The object of a candidate; refuses one declared twice (files of different builds). */
function objectOfCandidate(model: Model, c: MapCandidate): Obj {
  if (c.kind === 'var') {
    for (const f of model.decls.files) {
      const twice = topLevelNames(f.root).find((n) => n.text === c.name && n !== c.ident);
      if (twice) throw new Decline(`it is declared more than once (${where(f.file, twice)})`);
    }
  }
  const o = model.objectOf(c.ident);
  if (!o) throw new Decline('gomend cannot resolve its declaration');
  return o;
}

/** All references to the candidate across the package, and the struct literals that set a field. */
export function scanRefs(model: Model, c: MapCandidate): { refs: Ref[]; inits: LiteralInit[] } {
  const obj = objectOfCandidate(model, c);
  const fileOf = (n: SyntaxNode): GoFile => model.fileOf(n)!.file;
  if (c.kind === 'var') return { refs: model.usesOf(obj).map((id) => ({ file: fileOf(id), expr: id, name: id })), inits: [] };
  const refs: Ref[] = [];
  const inits: LiteralInit[] = [];
  for (const { file, root } of model.decls.files) {
    const source = file.source;
    if (!source.includes(c.name) && !(c.structName && source.includes(c.structName))) continue;
    for (const id of root.descendantsWhere(['field_identifier', 'identifier'], (_, text) => text === c.name)) {
      if (id === c.ident) continue;
      const p = id.parent;
      const selector = id.type === 'field_identifier' && p?.type === 'selector_expression';
      const key = id.type === 'identifier' && p?.type === 'literal_element' && p.parent?.type === 'keyed_element' && kids(p.parent)[0] === p;
      if (!selector && !key) continue;
      const o = model.objectOf(id);
      if (key && o === undefined && model.typeOf(p!.parent!.parent!).kind === 'unknown') {
        throw new Decline(`gomend cannot tell whether the key ${c.name} (${where(file, id)}) names this field`);
      }
      if (selector && o === undefined) throw new Decline(`gomend cannot tell whether ${flat(p!.text)} (${where(file, id)}) is this field`);
      if (o !== obj) continue;
      if (selector) refs.push({ file, expr: p!, name: id });
      else inits.push({ file, elem: p!.parent! });
    }
    // An unkeyed literal of the struct sets the field without naming it.
    const struct = model.packageObject(c.structName ?? '')?.ident;
    for (const lv of root.descendantsOfType('literal_value')) {
      if (!kids(lv).some((e) => e.type === 'literal_element')) continue;
      const t = model.typeOf(lv);
      if ((t.kind === 'pointer' ? t.elem : t).kind === 'named' && namedOf(t)?.node === struct) {
        throw new Decline(`${c.structName} is built with an unkeyed composite literal (${where(file, lv)})`);
      }
    }
  }
  return { refs, inits };
}
