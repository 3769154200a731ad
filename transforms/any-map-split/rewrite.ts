/**
 * Rewriting the uses of a split map, each in place so the statements around them (and any mutex
 * held over them) stay as they are: a typed read or write renames the map and drops the assertion;
 * `delete`, `clear` and resets repeat for every typed map on lines of their own; `len` sums.
 */
import type { SyntaxNode } from '../../src/go/index.js';
import { indentAt } from '../../src/go/index.js';
import type { Init, Use } from './classify.js';
import { initText } from './decl.js';
import { Decline, pure, requireAlone, requirePureRef } from './emit.js';
import type { Emit, TypedMap } from './emit.js';
import type { Ref } from './refs.js';
import { where } from './refs.js';

function mapFor(e: Emit, canon: string): TypedMap {
  const m = e.maps.find((x) => x.type.canon === canon);
  if (!m) throw new Decline(`internal: no typed map for ${canon}`);
  return m;
}

/** Adds the edits for one classified use. */
export function rewriteUse(e: Emit, u: Use): void {
  const file = u.ref.file;
  const rename = (name: string): void => e.edit(file, u.ref.name.startIndex, u.ref.name.endIndex, name);
  const single = e.maps.length === 1 ? e.maps[0] : undefined;
  switch (u.kind) {
    case 'write':
      rename(mapFor(e, u.type.canon).name);
      return;
    case 'read':
      rename(mapFor(e, u.type.canon).name);
      for (const c of u.cuts) e.edit(file, c.start, c.end, c.keep);
      return;
    case 'nilcheck':
      rename(e.maps[0].name);
      return;
    case 'len':
      if (single) return rename(single.name);
      requirePureRef(file, u.ref, 'len');
      e.edit(file, u.call.startIndex, u.call.endIndex, `(${e.maps.map((m) => `len(${e.refText(u.ref, m.name)})`).join(' + ')})`);
      return;
    case 'each': {
      if (single) return rename(single.name);
      const sep = requireAlone(file, u.stmt, u.op);
      requirePureRef(file, u.ref, u.op);
      if (u.key && !pure(u.key)) throw new Decline(`the key of delete (${where(file, u.key)}) would be evaluated once per typed map`);
      e.edit(file, u.stmt.startIndex, u.stmt.endIndex, e.maps.map((m) => `${u.op}(${e.refText(u.ref, m.name)}${u.key ? `, ${u.key.text}` : ''})`).join(sep));
      return;
    }
    case 'reset':
      return reset(e, u.ref, u.stmt, u.init);
  }
}

function reset(e: Emit, ref: Ref, stmt: SyntaxNode, init: Init): void {
  const file = ref.file;
  const indent = indentAt(file.source, stmt.startIndex);
  if (e.maps.length === 1) {
    e.edit(file, ref.name.startIndex, ref.name.endIndex, e.maps[0].name);
    e.edit(file, init.node.startIndex, init.node.endIndex, initText(e, init, e.maps[0], indent));
    return;
  }
  const sep = requireAlone(file, stmt, 'the assignment');
  requirePureRef(file, ref, 'the assignment');
  e.edit(file, stmt.startIndex, stmt.endIndex, e.maps.map((m) => `${e.refText(ref, m.name)} = ${initText(e, init, m, indent)}`).join(sep));
}
