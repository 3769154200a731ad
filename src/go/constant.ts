/**
 * String constants: the value of a string expression gomend can evaluate (a literal, a named string
 * constant of the package or function, resolved by the model, or a concatenation of those), as its
 * bytes, so `"a"` and `"\x61"` are the same string.
 */
import type { SyntaxNode } from '../mirror.js';
import type { Model } from './model.js';
import { exprList, field, kids } from './syntax.js';

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

function constValue(model: Model, id: SyntaxNode, depth: number): string | undefined {
  const o = model.objectOf(id);
  const spec = o?.kind === 'const' ? o.decl : undefined;
  if (!o || spec?.type !== 'const_spec') return undefined;
  const t = field(spec, 'type');
  if (t && t.text !== 'string') return undefined;
  const v = exprList(field(spec, 'value'))[o.index];
  return v ? staticValue(model, v, depth + 1) : undefined;
}

function staticValue(model: Model, n: SyntaxNode, depth: number): string | undefined {
  if (depth > 8) return undefined;
  switch (n.type) {
    case 'interpreted_string_literal':
      return decode(n.text.slice(1, -1));
    case 'raw_string_literal':
      return n.text.includes('\r') ? undefined : Buffer.from(n.text.slice(1, -1), 'utf8').toString('latin1');
    case 'parenthesized_expression':
      return kids(n)[0] ? staticValue(model, kids(n)[0], depth + 1) : undefined;
    case 'binary_expression': {
      if (field(n, 'operator')?.type !== '+') return undefined;
      const l = field(n, 'left');
      const r = field(n, 'right');
      const a = l ? staticValue(model, l, depth + 1) : undefined;
      const b = r ? staticValue(model, r, depth + 1) : undefined;
      return a !== undefined && b !== undefined ? a + b : undefined;
    }
    case 'identifier':
      return constValue(model, n, depth);
    default:
      return undefined;
  }
}

/** The bytes of the string constant `n` (as a latin1 string), or undefined when it is not one gomend can evaluate. */
export function stringConstant(model: Model, n: SyntaxNode): string | undefined {
  return staticValue(model, n, 0);
}
