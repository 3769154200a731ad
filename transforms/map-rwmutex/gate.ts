/**
 * The gate of map-rwmutex: a cheap necessary condition, on the package's raw texts, for any
 * finding. It restates no rule of the analysis; it asks for the words without which the analysis
 * (analyse.ts `prepare`) stops before looking at any map:
 *
 * - a candidate map: every candidate's type is spelled `map[` somewhere in the package (a map
 *   type, or the named map type or alias it has; candidates.ts);
 * - and a goroutine the package starts (an entry, goroutines.ts), or a lock call (a map partly
 *   under an existing mutex is a finding without any goroutine, `lockEvidence` in guards.ts).
 *
 * Entries are found by the words of the tables the analysis and the model use: `go` starting a
 * statement, a spawner called as a method or package function (`SPAWNERS` of spawns.ts, and the
 * calls the facts table says spawn or register a handler), a `ServeHTTP` method, a gRPC
 * registration (`REGISTRATIONS` of entries.ts), a Prometheus collector's registration in a file
 * importing client_golang (`mayRegisterCollector`). Lock calls are the methods the facts table lists
 * as joins of sync's mutexes. Each kind of entry is one test in `ENTRY_TESTS`.
 *
 * Comments and strings are not told apart from code (a word there only lets a package through).
 * Code far from gofmt's layout (`/* c *\/ go f()`, a selector split before its `(`) may make the
 * gate say no where the analysis reports: that costs a finding, never a wrong fix.
 */
import { factNames } from '../../src/go/stdlib.js';
import { hasGoStatement } from '../../src/gotext.js';
import { mayRegisterCollector, REGISTRATIONS } from './entries.js';
import { SPAWNERS } from './spawns.js';

const alternatives = (names: string[]): string => [...new Set(names)].sort().join('|');

/** Spawner names: the facts table's spawners and handler registrations, and the ones map-rwmutex knows by name. */
export function spawnerNames(): string[] {
  return [...new Set([...Object.keys(SPAWNERS), ...factNames((_, f) => f.spawns !== undefined || f.handler !== undefined)])].sort();
}

/** A spawner called on an operand (`g.Go(`, `time.AfterFunc(`, `mux.HandleFunc(`, `pool.Submit(`). */
const SPAWNER_CALL = new RegExp(`\\.\\s*(?:${spawnerNames().join('|')})\\s*\\(`);

/** A call of a sync mutex's locking method (`mu.Lock()`, `s.mu.RLock()`). */
const LOCK_CALL = new RegExp(`\\.(?:${alternatives(factNames((k, f) => /^sync\.\(\*(?:RW)?Mutex\)\./.test(k) && f.joins === true))})\\(`);

/** The texts that may start a goroutine in the package, one test per kind of entry. */
export const ENTRY_TESTS: readonly ((text: string) => boolean)[] = [
  hasGoStatement,
  (t) => SPAWNER_CALL.test(t),
  (t) => t.includes('ServeHTTP'),
  (t) => REGISTRATIONS.test(t),
  mayRegisterCollector,
];

/** False only when no file text of the package can hold a map-rwmutex finding. */
export function mayNeedLock(texts: readonly string[]): boolean {
  if (!texts.some((t) => t.includes('map['))) return false;
  return texts.some((t) => LOCK_CALL.test(t) || ENTRY_TESTS.some((entry) => entry(t)));
}
