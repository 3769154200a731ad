/**
 * Which files of a package may declare a package-level name, or methods of a type, read from the
 * text alone. A package loaded only to answer what one of its names is (another package of the
 * module, seen from an import) then parses the files that may declare that name instead of all of
 * its files.
 *
 * One pass of Go's lexical rules (comments, interpreted, raw and rune literals skipped; braces
 * counted) keeps the tokens outside every `{…}`, which is where package-level declarations are:
 *
 * - after `func`, the function's name, or the identifiers of a method's receiver `(…)`;
 * - after `type`, `var` or `const`, the names listed, or in a `(…)` group the identifiers that
 *   start a line or follow a `,` or `;` at the group's own level.
 *
 * The answer may name more than a file declares (a continued expression's identifier at the start
 * of a line), never less, whatever the layout.
 */

/** The names a file may declare at package level, and the receiver type names its methods may have. */
export interface FileDeclNames {
  names: Set<string>;
  receivers: Set<string>;
}

/** The package-level names and method receivers a Go file's text may declare. */
export function fileDeclNames(source: string): FileDeclNames {
  const names = new Set<string>();
  const receivers = new Set<string>();
  /** What the tokens at brace depth 0 mean now. */
  let mode: 'top' | 'func' | 'receiver' | 'spec' | 'group' = 'top';
  /** In a spec or group: the next identifier may be a declared name. */
  let expectName = false;
  /** The last token was a declared name (a `,` then lists another). */
  let afterName = false;
  let braces = 0;
  let parens = 0;
  const n = source.length;
  let i = 0;
  const token = (t: string, ident: boolean) => {
    if (braces > 0) return;
    switch (mode) {
      case 'top':
        if (t === 'func') mode = 'func';
        else if (t === 'type' || t === 'var' || t === 'const') {
          mode = 'spec';
          expectName = true;
          afterName = false;
        }
        return;
      case 'func':
        if (t === '\n') return;
        if (t === '(') {
          mode = 'receiver';
          parens = 1;
        } else {
          if (ident) names.add(t);
          mode = 'top';
        }
        return;
      case 'receiver':
        if (t === '(') parens++;
        else if (t === ')' && --parens === 0) mode = 'top';
        else if (ident) receivers.add(t);
        return;
      case 'spec':
        if (t === '\n' && expectName) return;
        if (t === '(' && expectName && !afterName) {
          mode = 'group';
          parens = 1;
          return;
        }
        if (t === '\n' || t === ';') {
          mode = 'top';
          return;
        }
        if (ident && expectName) {
          names.add(t);
          expectName = false;
          afterName = true;
          return;
        }
        expectName = t === ',' && afterName;
        afterName = false;
        return;
      case 'group':
        if (t === '(' || t === ')') {
          parens += t === '(' ? 1 : -1;
          if (parens === 0) mode = 'top';
          expectName = afterName = false;
          return;
        }
        if (parens !== 1) return;
        if (ident && expectName) {
          names.add(t);
          expectName = false;
          afterName = true;
          return;
        }
        expectName = t === '\n' || t === ';' || (t === ',' && afterName);
        afterName = false;
        return;
    }
  };
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 0x2f /* / */ && source.charCodeAt(i + 1) === 0x2f) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === 0x2f && source.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      if (source.slice(i, stop).includes('\n')) token('\n', false);
      i = stop;
    } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      i++;
      while (i < n && source.charCodeAt(i) !== c && source.charCodeAt(i) !== 0x0a) i += source.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      token('lit', false);
    } else if (c === 0x60 /* ` */) {
      const end = source.indexOf('`', i + 1);
      i = end < 0 ? n : end + 1;
      token('lit', false);
    } else if (c === 0x7b /* { */) {
      braces++;
      i++;
    } else if (c === 0x7d /* } */) {
      if (braces > 0) braces--;
      i++;
      token('}', false);
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(source.charCodeAt(i))) i++;
      token(source.slice(start, i), true);
    } else if (c === 0x0a || c === 0x28 || c === 0x29 || c === 0x2c || c === 0x3b) {
      token(source[i], false);
      i++;
    } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
    } else {
      // Any other operator or digit: one token for the rule of what may come next.
      const start = i;
      i++;
      if (c >= 0x30 && c <= 0x39) while (i < n && isIdentPart(source.charCodeAt(i))) i++;
      token(source.slice(start, i), false);
    }
  }
  return { names, receivers };
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}
