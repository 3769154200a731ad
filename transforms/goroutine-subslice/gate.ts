/**
 * The text test of goroutine-subslice: can this file hold a hand-off of a subslice at all?
 *
 * A finding needs a `go` statement or a send statement, and a slice expression in the same file
 * (the subslice handed over, or the one a local handed over was bound to). Files that fail are
 * never parsed, which is most of a repository: the word "go" in a comment or a receive `<-ch` is
 * not enough.
 *
 * The tests are a superset of what gofmt-formatted code can hold. Odd unformatted forms they miss
 * (each costs a finding, never a wrong fix): a `go` keyword with a block comment before it on its
 * line or between it and its call, a send with a block comment between its channel and the arrow,
 * and slice expressions that open their bracket on one line and write the colon on the next, or
 * nest brackets two deep before the colon (`x[a[b[0]]:]`), and `ch <--1` (gofmt writes `ch <- -1`).
 *
 * Beyond a statement, `hasHandoffText` asks for slice text in the statement itself or a word that
 * some line binds to slice text (`p := buf[:n]` … `go use(p)`). It misses a binding whose value
 * starts on a later line after an opening bracket (`p := (\n buf[:n])`); a value on the line after
 * a trailing `:=` is seen.
 */
import { blankLiterals, declarationStarts, GO_KEYWORDS, listEnd, scanTopLevel, skipLiteral, startsStatement, statementEnd } from '../../src/gotext.js';

/** `go` followed by white space or `(`: where a go statement may begin. */
const GO_WORD = /\bgo[\s(]/g;


/**
 * A `go` statement: `go` first on its line (after indentation), or right after `{`, `;` or `:`
 * (a label, a case) on the same line, followed by white space or `(`.
 */
export function hasGoStatement(source: string): boolean {
  GO_WORD.lastIndex = 0;
  for (let m = GO_WORD.exec(source); m; m = GO_WORD.exec(source)) if (startsStatement(source, m.index)) return true;
  return false;
}


const WORD_END = /[\p{L}\p{N}_]$/u;
const WORD_BEFORE = /[\p{L}\p{N}_]+$/u;
/** `<-chan T` (a receive-only channel type), and arrows drawn in text: `<->`, `<--`. */
const NOT_A_SEND = /^(?:\s*chan(?![\p{L}\p{N}_])|[->])/u;

/**
 * Where a source's strings, runes and comments are: read once, on the first arrow that looks like
 * a send, so that an arrow drawn in a comment or sitting in a data file's string is not one.
 */
class Literals {
  /** Start and end of each literal or comment, in order. */
  private readonly spans: number[] = [];

  constructor(source: string) {
    for (let i = 0; i < source.length; i++) {
      const end = skipLiteral(source, i);
      if (end === i) continue;
      this.spans.push(i, end);
      i = end - 1;
    }
  }

  /** False when `at` is inside a string, a rune or a comment. */
  isCode(at: number): boolean {
    let lo = 0;
    let hi = this.spans.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid * 2 + 1] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo * 2 >= this.spans.length || this.spans[lo * 2] > at;
  }
}

/**
 * A send statement `ch <- v`: an arrow after an operand's end (a name, `)` or `]`) that is not a
 * keyword (`case <-ch`, `return <-ch`, `chan<- T`), not followed by `chan` (`x <-chan T`), and not
 * inside a string or a comment.
 */
export function hasSend(source: string): boolean {
  let literals: Literals | undefined;
  for (let at = source.indexOf('<-'); at >= 0; at = source.indexOf('<-', at + 2)) {
    if (!sendAt(source, at)) continue;
    literals ??= new Literals(source);
    if (literals.isCode(at)) return true;
  }
  return false;
}

/** The arrow at `at` may be a send's, judging by the text around it (strings and comments aside). */
function sendAt(source: string, at: number): boolean {
  let end = at;
  while (end > 0 && (source[end - 1] === ' ' || source[end - 1] === '\t')) end--;
  const before = source[end - 1];
  if (before === undefined) return false;
  if (before !== ')' && before !== ']') {
    const tail = source.slice(Math.max(0, end - 64), end);
    if (!WORD_END.test(tail)) return false;
    if (GO_KEYWORDS.has(WORD_BEFORE.exec(tail)?.[0] ?? '')) return false;
  }
  return !NOT_A_SEND.test(source.slice(at + 2, at + 80));
}

/** `x[a:b]`, `x[:n]`, `x[f(y[0]):]`: a `[` followed on its line by a `:` before its `]`. */
const SLICE_EXPR = /\[(?:[^[\]\n]|\[[^[\]\n]*\])*:/;

export function hasSliceExpr(source: string): boolean {
  return SLICE_EXPR.test(source);
}

const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

/** `:=` or `=` (not `==`, `!=`, `<=`, `>=`, `+=`, …): where a declaration gives its values. */
const ASSIGN = /(?<![=!<>+\-*/%&|^:])(?::=|=)(?!=)/g;

/**
 * The words before `:=` or `=` on lines whose value holds slice text (`p := buf[:n]`, `var p =
 * x[1:]`, a value on the line after a trailing `=`): the names a handed-over identifier can have.
 * Only a local is one (see `boundSlice`), so the text searched is the top-level declaration
 * around the hand-off.
 */
function sliceBoundWords(source: string): Set<string> {
  const out = new Set<string>();
  const lines = source.split('\n');
  lines.forEach((line, i) => {
    if (!line.includes('=')) return;
    for (const m of line.matchAll(ASSIGN)) {
      let value = line.slice(m.index + m[0].length);
      if (value.trim() === '' && i + 1 < lines.length) value = lines[i + 1];
      if (!SLICE_EXPR.test(value)) continue;
      for (const w of line.slice(0, m.index).match(WORD) ?? []) out.add(w);
    }
  });
  return out;
}

/**
 * For a position of `source`, the words bound to slice text in the top-level declaration holding
 * it (comments and strings blanked first, so that Go text in a raw string cuts nothing); each
 * declaration is read once, and nothing is blanked until a hand-off asks.
 */
function boundWordsAround(source: string): (at: number) => Set<string> {
  let code: string | undefined;
  let starts: number[] | undefined;
  const memo = new Map<number, Set<string>>();
  return (at) => {
    code ??= blankLiterals(source);
    starts ??= declarationStarts(code);
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1] <= at) k++;
    let words = memo.get(k);
    if (!words) {
      words = sliceBoundWords(code.slice(starts[k], starts[k + 1] ?? code.length));
      memo.set(k, words);
    }
    return words;
  };
}

/**
 * The body `{…}` of the function literal a `go` statement starts (`go func(…) {…}(…)`), or
 * undefined when it starts a named function. What the body slices for itself is no hand-off (the
 * analysis looks at the call's arguments and at the body's captured variables only).
 */
function literalBody(source: string, from: number, end: number): [number, number] | undefined {
  let i = from;
  while (i < end && /[\s(]/.test(source[i])) i++;
  if (!source.startsWith('func', i) || /[\p{L}\p{N}_]/u.test(source[i + 4] ?? '')) return undefined;
  const open = scanTopLevel(source, i + 4, end, (j) => source[j] === '{');
  return open === -1 ? undefined : [open, listEnd(source, open)];
}

/** `Read…(` calls and the words of their arguments on the same line: buffers a read may fill. */
const READ_CALL = /\bRead\w*\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)/g;

/** The words passed to read calls (`n, _ := r.Read(buf)` → buf): whole buffers a read loop refills. */
export function readBufferWords(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(READ_CALL)) for (const w of m[1].match(WORD) ?? []) out.add(w);
  return out;
}

/**
 * True when some go or send statement's text holds slice text or a word bound to one (or, given
 * `filled`, one of those words outside a func literal's body): what a
 * hand-off needs. A go statement's text runs from `go` to its end (a whole func literal); a send's
 * from its line's start.
 */
export function hasHandoffText(source: string, filled?: Set<string>): boolean {
  const bound = boundWordsAround(source);
  const handsOver = (from: number, to: number, body?: [number, number]): boolean => {
    const text = source.slice(from, to);
    const sliced = body ? source.slice(from, body[0]) + source.slice(body[1], to) : text;
    if (SLICE_EXPR.test(sliced)) return true;
    if (filled) for (const w of sliced.match(WORD) ?? []) if (filled.has(w)) return true;
    const words = bound(from);
    for (const w of text.match(WORD) ?? []) if (words.has(w)) return true;
    return false;
  };
  GO_WORD.lastIndex = 0;
  for (let m = GO_WORD.exec(source); m; m = GO_WORD.exec(source)) {
    if (!startsStatement(source, m.index)) continue;
    const end = statementEnd(source, m.index + 2);
    if (handsOver(m.index, end, literalBody(source, m.index + 2, end))) return true;
  }
  let literals: Literals | undefined;
  for (let at = source.indexOf('<-'); at >= 0; at = source.indexOf('<-', at + 2)) {
    if (!sendAt(source, at)) continue;
    literals ??= new Literals(source);
    if (literals.isCode(at) && handsOver(source.lastIndexOf('\n', at - 1) + 1, statementEnd(source, at + 2))) return true;
  }
  return false;
}
