/**
 * Map keys: a key is static when it is a string constant gomend can evaluate (a literal, a named
 * string constant of the package or function, or a concatenation of those); its identity is the
 * decoded bytes, so `"a"` and `"\x61"` are the same key. Any other key is dynamic.
 */
import type { GoFile, Node } from '../../src/types.js';
import { resolveLocal } from './scope.js';
import type { PkgIndex } from './symbols.js';

/** A key as written: static keys carry their decoded value; `text` is the source, for messages. */
export type Key = { static: string; text: string } | { dynamic: true; text: string };

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };

/** The bytes of an interpreted string literal's body, as a latin1 string; undefined if malformed. */
function decode(body: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const ch = body[i];
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e in SIMPLE) {
      bytes.push(SIMPLE[e]);
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (/^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else if ((e === 'u' || e === 'U') && /^[0-9a-fA-F]+$/.test(body.slice(i + 2, i + (e === 'u' ? 6 : 10)))) {
      const n = e === 'u' ? 4 : 8;
      const cp = parseInt(body.slice(i + 2, i + 2 + n), 16);
      if (cp > 0x10ffff) return undefined;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      i += 2 + n;
    } else return undefined;
  }
  return Buffer.from(bytes).toString('latin1');
}

function constValue(idx: PkgIndex, file: GoFile, id: Node, depth: number): string | undefined {
  const local = resolveLocal(id.text, id);
  let spec: Node | undefined;
  let index = 0;
  let specFile = file;
  if (local) {
    if (local.kind !== 'const') return undefined;
    spec = local.node;
    index = local.index;
  } else {
    const decls = idx.top.get(id.text);
    if (!decls || decls.length !== 1 || decls[0].kind !== 'const') return undefined;
    spec = decls[0].node;
    index = decls[0].index;
    specFile = decls[0].file;
  }
  const t = spec.childForFieldName('type');
  if (t && t.text !== 'string') return undefined;
  const v = spec.childForFieldName('value')?.namedChildren[index];
  return v ? staticValue(idx, specFile, v, depth + 1) : undefined;
}

function staticValue(idx: PkgIndex, file: GoFile, n: Node, depth: number): string | undefined {
  if (depth > 8) return undefined;
  switch (n.type) {
    case 'interpreted_string_literal':
      return decode(n.text.slice(1, -1));
    case 'raw_string_literal':
      return n.text.includes('\r') ? undefined : Buffer.from(n.text.slice(1, -1), 'utf8').toString('latin1');
    case 'parenthesized_expression':
      return n.namedChildren[0] ? staticValue(idx, file, n.namedChildren[0], depth + 1) : undefined;
    case 'binary_expression': {
      if (n.childForFieldName('operator')?.type !== '+') return undefined;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const a = l ? staticValue(idx, file, l, depth + 1) : undefined;
      const b = r ? staticValue(idx, file, r, depth + 1) : undefined;
      return a !== undefined && b !== undefined ? a + b : undefined;
    }
    case 'identifier':
      return constValue(idx, file, n, depth);
    default:
      return undefined;
  }
}

/** The key written at `n`. */
export function keyOf(idx: PkgIndex, file: GoFile, n: Node): Key {
  const v = staticValue(idx, file, n, 0);
  return v === undefined ? { dynamic: true, text: n.text } : { static: v, text: n.type === 'identifier' ? n.text : n.text };
}
