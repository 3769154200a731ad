/**
 * Which names a file can declare at package level, read from its text without parsing it.
 *
 * Parsing is what a whole-repository run spends its time on, and the package index only needs the
 * files that declare the names it is asked about. A package-level declaration names its identifier
 * outside every `{…}`, right after `func`, after a method's receiver, after `type`, `var` or
 * `const`, in a var list after a comma, or at the start of a spec in a `var (…)` group. Reading
 * those positions off the tokens (strings, runes and comments skipped) gives a superset of what
 * the file declares, small enough that a lookup of `int`, `len` or `io` parses nothing.
 *
 * A file whose text does not lex cleanly (unbalanced braces, an unterminated string or comment,
 * `func name` inside braces, stray characters) is `undefined`: it may declare anything, and is
 * parsed whenever a name is looked up. tree-sitter's error recovery on such text is not predicted.
 */
import { identCharLength } from '../../src/gotext.js';

const SLASH = 47;
const STAR = 42;
const NL = 10;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKTICK = 96;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;


/** Index after a quoted literal starting at `i` (the quote), or -1 when it does not end on its line. */
function skipQuoted(src: string, i: number, quote: number): number {
  for (let j = i + 1; j < src.length; j++) {
    const c = src.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === quote) return j + 1;
    else if (c === NL) return -1;
  }
  return -1;
}

/** How the declaration reader reads the next tokens at brace depth 0. */
type Expect =
  | 'none'
  /** After `func`, `type`, `var` or `const`: a name, or `(` (a receiver or a group). */
  | 'func' | 'type' | 'var' | 'const'
  /** A declared name (after a var list's comma). */
  | 'name'
  /** A method's name, after its receiver. */
  | 'method'
  /** After a var or const name: `,` continues the list. */
  | 'comma'
  /** Inside a method's receiver parentheses. */
  | 'receiver';

/** The reader of package-level declarations over a token stream (see `declarableNames`). */
class DeclReader {
  readonly names = new Set<string>();
  readonly methods = new Set<string>();
  private expect: Expect = 'none';
  private parens = 0;
  private receiverDepth = -1;
  /** Paren depth inside a `var (`/`const (`/`type (` group, or -1. */
  private group = -1;
  private groupKind: Expect = 'none';
  /** At the start of a spec in a group: after its `(`, a `;` or a line end. */
  private specStart = false;

  word(w: string): void {
    if (this.expect === 'receiver') return;
    if (w === 'func' || w === 'type' || w === 'var' || w === 'const') {
      this.expect = w;
      this.specStart = false;
      return;
    }
    const inGroup = this.group >= 0 && this.parens === this.group;
    if (this.expect === 'method') {
      this.methods.add(w);
      this.expect = 'none';
    } else if (this.expect === 'func' || this.expect === 'type' || this.expect === 'name' || this.expect === 'var' || this.expect === 'const') {
      this.names.add(w);
      this.expect = this.expect === 'func' || this.expect === 'type' ? 'none' : 'comma';
    } else if (inGroup && this.specStart) {
      this.names.add(w);
      this.expect = this.groupKind === 'type' ? 'none' : 'comma';
    } else {
      this.expect = 'none';
    }
    this.specStart = false;
  }

  punct(c: string): void {
    if (c === '(') {
      this.parens++;
      if (this.expect === 'func') {
        this.expect = 'receiver';
        this.receiverDepth = this.parens;
      } else if (this.expect === 'type' || this.expect === 'var' || this.expect === 'const') {
        this.group = this.parens;
        this.groupKind = this.expect;
        this.expect = 'none';
        this.specStart = true;
        return;
      } else if (this.expect !== 'receiver') {
        this.expect = 'none';
      }
    } else if (c === ')') {
      if (this.expect === 'receiver' && this.parens === this.receiverDepth) this.expect = 'method';
      else if (this.expect !== 'receiver') this.expect = 'none';
      if (this.parens === this.group) this.group = -1;
      this.parens--;
    } else if (c === ',') {
      if (this.expect === 'comma') this.expect = 'name';
      else if (this.expect !== 'receiver') this.expect = 'none';
    } else if (c === '\n' || c === ';') {
      if (c === ';' && this.expect !== 'receiver') this.expect = 'none';
      if (this.group >= 0 && this.parens === this.group) {
        this.specStart = true;
        this.expect = 'none'; // a new spec: a func type's `func` on the line before declares nothing
      }
      return;
    } else if (this.expect !== 'receiver') {
      this.expect = 'none';
    }
    this.specStart = false;
  }
}

/** What a file may declare at package level: method names apart from all other names. */
export interface Declarable {
  names: Set<string>;
  methods: Set<string>;
}

/**
 * The names a Go source may declare at package level (and a few more), or undefined when the text
 * does not lex as Go: then any name may be declared there.
 */
export function declarableNames(src: string): Declarable | undefined {
  const reader = new DeclReader();
  let depth = 0;
  let prev = '';
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === SLASH && src.charCodeAt(i + 1) === SLASH) {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === SLASH && src.charCodeAt(i + 1) === STAR) {
      const e = src.indexOf('*/', i + 2);
      if (e < 0) return undefined;
      i = e + 2;
    } else if (c === DQUOTE || c === SQUOTE || c === BACKTICK) {
      const e = c === BACKTICK ? src.indexOf('`', i + 1) + 1 : skipQuoted(src, i, c);
      if (e <= 0) return undefined;
      i = e;
      prev = '';
      if (depth === 0) reader.punct('"');
    } else if (c === LBRACE || c === RBRACE) {
      if (depth === 0) reader.punct('{');
      depth += c === LBRACE ? 1 : -1;
      if (depth < 0) return undefined;
      i++;
      prev = '';
    } else if (identCharLength(src, i) > 0) {
      let j = i;
      for (let w = identCharLength(src, j); w > 0; w = identCharLength(src, j)) j += w;
      const word = src.slice(i, j);
      if (depth === 0) reader.word(word);
      else if (prev === 'func') return undefined; // `func name` inside braces is not Go
      prev = word;
      i = j;
    } else if (c >= 128) {
      return undefined; // a character Go allows only in strings and comments
    } else {
      if (c > 32) prev = '';
      if (depth === 0 && (c > 32 || c === NL)) reader.punct(src[i]);
      i++;
    }
  }
  return depth === 0 ? { names: reader.names, methods: reader.methods } : undefined;
}
