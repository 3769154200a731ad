/**
 * Reading Go source as text, before (or instead of) parsing it: what the transforms' cheap gates
 * need to tell a statement or a literal in raw text.
 */

/** Skips a comment, string or rune starting at `i`; returns the index after it, or `i` if none starts there. */
export function skipLiteral(s: string, i: number): number {
  const c = s[i];
  if (c === '/' && s[i + 1] === '/') {
    const nl = s.indexOf('\n', i);
    return nl === -1 ? s.length : nl;
  }
  if (c === '/' && s[i + 1] === '*') {
    const end = s.indexOf('*/', i + 2);
    return end === -1 ? s.length : end + 2;
  }
  if (c === '`') {
    const end = s.indexOf('`', i + 1);
    return end === -1 ? s.length : end + 1;
  }
  if (c === '"' || c === "'") {
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === '\\') j++;
      else if (s[j] === c || s[j] === '\n') return j + 1;
    }
    return s.length;
  }
  return i;
}

/** Go's keywords: none of them can name a variable, a field or a function. */
export const GO_KEYWORDS: ReadonlySet<string> = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

const UNICODE_IDENT = /^[\p{L}\p{N}_]/u;

/** The length (in UTF-16 units) of the identifier character at `i`, or 0 when there is none. */
export function identCharLength(src: string, i: number): number {
  const c = src.charCodeAt(i);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) return 1;
  if (c < 128 || i < 0 || i >= src.length) return 0;
  const wide = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  return UNICODE_IDENT.test(src.slice(i, i + wide)) ? wide : 0;
}

/**
 * True when the word at `i` (`go`, say) is where a statement may start: first on its line after
 * indentation, or right after `{`, `;` or `:` (a label, a case) on the same line.
 */
export function startsStatement(source: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (source[j] === ' ' || source[j] === '\t')) j--;
  const before = j < 0 ? '\n' : source[j];
  return before === '\n' || before === '{' || before === ';' || before === ':';
}

/** True when some `go` in the text may start a go statement (no match objects made). */
export function hasGoStatement(source: string): boolean {
  for (let i = source.indexOf('go'); i !== -1; i = source.indexOf('go', i + 2)) {
    if (identCharLength(source, i + 2) === 0 && startsStatement(source, i)) return true;
  }
  return false;
}
