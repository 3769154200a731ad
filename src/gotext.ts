/**
 * Reading Go source as text, before (or instead of) parsing it: the transforms' cheap text gates
 * need to know where a statement or a bracketed list ends without being fooled by brackets in
 * strings, runes and comments.
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

/**
 * Where the statement starting at `from` ends: the first line end or `;` outside brackets, or the
 * bracket that closes an enclosing one (`func() { go f() }`). Literals and comments are skipped.
 */
export function statementEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; ) {
    const skipped = skipLiteral(s, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return i;
    } else if ((c === '\n' || c === ';') && depth === 0) return i;
    i++;
  }
  return s.length;
}

/** The index after the bracket that closes the one at `open`, or the end of the text. */
export function listEnd(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; ) {
    const skipped = skipLiteral(s, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth <= 0) return i + 1;
    i++;
  }
  return s.length;
}

const blanks: string[] = [];

/** A run of `n` spaces; short ones are made once. */
function spaces(n: number): string {
  if (n >= 256) return ' '.repeat(n);
  return (blanks[n] ??= ' '.repeat(n));
}

/**
 * The source with every comment blanked and the inside of every string and rune literal blanked
 * (quotes kept), line breaks kept: the same length and the same offsets, so that a text gate can
 * search code without being fooled by words in comments or strings.
 */
export function blankLiterals(s: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = nextOpener(s, 0); at !== -1; at = nextOpener(s, at)) {
    const end = skipLiteral(s, at);
    if (end === at) {
      at++; // a division
      continue;
    }
    const quote = s[at] === '/' ? '' : s[at];
    const closed = quote !== '' && end - at > 1 && s[end - 1] === quote;
    const innerEnd = closed ? end - 1 : end;
    parts.push(s.slice(from, at), quote);
    for (let i = at + quote.length; i < innerEnd; ) {
      const nl = s.indexOf('\n', i);
      const stop = nl === -1 || nl >= innerEnd ? innerEnd : nl;
      parts.push(spaces(stop - i));
      if (stop < innerEnd) parts.push('\n');
      i = stop + 1;
    }
    if (closed) parts.push(quote);
    from = end;
    at = end;
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** The index of the next `/`, `"`, `'` or backquote from `i`, or -1 (a scan: no match objects). */
function nextOpener(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 47 || c === 34 || c === 39 || c === 96) return i;
  }
  return -1;
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

/** Keywords that start a top-level declaration at column 0 in gofmt's layout. */
const DECL_KEYWORDS = ['func', 'var', 'const', 'type', 'import'];

/**
 * 0, then the start of every line that begins with a declaration keyword: where the top-level
 * declarations of gofmt-formatted code begin (no match objects made). Pass code whose comments
 * and literals are blanked (`blankLiterals`), or a raw string holding Go text cuts a declaration.
 */
export function declarationStarts(s: string): number[] {
  const starts = [0];
  const declares = (i: number): boolean => {
    const c = s.charCodeAt(i);
    if (c !== 99 && c !== 102 && c !== 105 && c !== 116 && c !== 118) return false; // c f i t v
    return DECL_KEYWORDS.some((k) => s.startsWith(k, i) && identCharLength(s, i + k.length) === 0);
  };
  if (declares(0)) starts.push(0);
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) if (declares(i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Walks `s[from, to)` at bracket depth 0, comments and literals skipped: `visit` gets the index of
 * each character there, an opening bracket's included, and the walk then resumes after the group
 * that bracket opens. A `visit` that returns true stops the walk: the result is that index, or -1.
 */
export function scanTopLevel(s: string, from: number, to: number, visit: (i: number) => boolean | void): number {
  for (let i = from; i < to; ) {
    const skipped = skipLiteral(s, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (visit(i)) return i;
    const c = s[i];
    i = c === '(' || c === '[' || c === '{' ? listEnd(s, i) : i + 1;
  }
  return -1;
}
