/**
 * The gate of goroutine-subslice: a cheap necessary condition, on one file's raw text, for a
 * finding in that file. Every finding is made at a hand-off (index.ts, closure.ts): a `go`
 * statement, a send statement `ch <- v`, or a func literal given to a call that runs it on another
 * goroutine: a call the facts table says spawns, or a worker pool's method (`POOL_SUBMITS`).
 * Whether anything handed over is a subslice, a view or a refilled buffer is the analysis's to say.
 *
 * Code far from gofmt's layout may make the gate say no where the analysis reports (each costs a
 * finding, never a wrong fix): a `go` keyword with a block comment before it on its line, a send
 * with a block comment between its channel and the arrow, `ch <--1` (gofmt writes `ch <- -1`), or
 * a spawner called without a selector (a dot import of time).
 */
import { GO_KEYWORDS, hasGoStatement, skipLiteral } from '../../src/gotext.js';
import { SPAWN_NAMES } from './closure.js';

export { hasGoStatement };

/** A spawner called on an operand: `wg.Go(`, `time.AfterFunc(`, `pool.Submit(`. */
const SPAWN_CALL = new RegExp(`\\.\\s*(?:${[...SPAWN_NAMES].join('|')})\\s*\\(`);

/** False only when the file cannot hold a hand-off goroutine-subslice reports. */
export function mayHandOff(source: string): boolean {
  return hasGoStatement(source) || hasSend(source) || SPAWN_CALL.test(source);
}

/**
 * A send statement `ch <- v`: an arrow after an operand's end (a name, `)` or `]`) that is not a
 * keyword (`case <-ch`, `return <-ch`, `chan<- T`), not followed by `chan` (`x <-chan T`) nor
 * drawn (`<->`, `<--`), and not inside a string or a comment.
 */
export function hasSend(source: string): boolean {
  let literals: number[] | undefined;
  for (let at = source.indexOf('<-'); at >= 0; at = source.indexOf('<-', at + 2)) {
    if (!sendAt(source, at)) continue;
    literals ??= literalSpans(source);
    if (isCode(literals, at)) return true;
  }
  return false;
}

const WORD_END = /[\p{L}\p{N}_]$/u;
const WORD_BEFORE = /[\p{L}\p{N}_]+$/u;
const NOT_A_SEND = /^(?:\s*chan(?![\p{L}\p{N}_])|[->])/u;

/** The arrow at `at` may be a send's, judging by the text around it (strings and comments aside). */
function sendAt(source: string, at: number): boolean {
  let end = at;
  while (end > 0 && (source[end - 1] === ' ' || source[end - 1] === '\t')) end--;
  const before = source[end - 1];
  if (before === undefined) return false;
  if (before !== ')' && before !== ']') {
    const tail = source.slice(Math.max(0, end - 64), end);
    if (!WORD_END.test(tail) || GO_KEYWORDS.has(WORD_BEFORE.exec(tail)?.[0] ?? '')) return false;
  }
  return !NOT_A_SEND.test(source.slice(at + 2, at + 80));
}

/** Start and end of each string, rune and comment of a source, in order. */
function literalSpans(source: string): number[] {
  const spans: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const end = skipLiteral(source, i);
    if (end === i) continue;
    spans.push(i, end);
    i = end - 1;
  }
  return spans;
}

/** False when `at` is inside one of the spans. */
function isCode(spans: number[], at: number): boolean {
  let lo = 0;
  let hi = spans.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid * 2 + 1] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo * 2 >= spans.length || spans[lo * 2] > at;
}
