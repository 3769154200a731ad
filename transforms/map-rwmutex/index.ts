/**
 * map-rwmutex: maps shared between goroutines without a lock.
 *
 * Reports a package-level map variable or a map field of a package struct (or of a package
 * variable of an anonymous struct type) that is written after its initialisation and reached
 * from more than one goroutine (a function started with `go`,
 * `errgroup.Group.Go`, `sync.WaitGroup.Go`, `time.AfterFunc`, an HTTP handler, plus any other
 * access). Go maps are not safe for concurrent use: a write racing with any other access corrupts
 * the map or stops the program with "fatal error: concurrent map writes".
 *
 * Have:
 *
 *	var sessions = map[string]string{}
 *
 *	func login(id, user string) { sessions[id] = user }
 *
 * Want:
 *
 *	var sessionsMu sync.RWMutex
 *	var sessions = map[string]string{}
 *
 *	func login(id, user string) {
 *		sessionsMu.Lock()
 *		defer sessionsMu.Unlock()
 *		sessions[id] = user
 *	}
 *
 * Maps are found by type (a map type, an alias of one, a named map type of the package without
 * methods) and their uses by the shared model: `x.words` is the field of `x`'s type, promoted
 * through embedded structs too; a selector whose operand type gomend cannot know stops the fix.
 *
 * A struct field gets `mu sync.RWMutex // guards words` directly above it. Reads, `len` and
 * ranging take RLock; writes, `delete`, `clear`, reassignment and whole read-modify-writes take
 * Lock; a deferred `delete` or `clear` takes the lock inside the deferred call. Every access in
 * the package is wrapped, in all its files, as one atomic fix.
 *
 * Declines (no finding) when the map is only read after initialisation (package declaration,
 * `init`, `sync.Once`), when any use already sits under a lock or in a function that may be
 * called with one held (names, doc comments, callers), when no goroutine writes it, or when a
 * struct value belongs to the one goroutine that was started on it. Reports without a fix when the
 * map itself is returned, stored or passed on, when the map is exported or its exported struct may
 * be copied outside the package (no constructor returns `*T`), when
 * its struct is copied by value, when ranging over it sends on a channel or calls back into the
 * package (a snapshot is needed), or when a lock cannot be placed without blocking under it,
 * deferring in a loop, or locking twice. A value read from the map that escapes while the package
 * writes map values in place is reported separately.
 *
 * Happens-before is recognised where one function orders it: a goroutine that function waits for
 * before returning (`wg.Wait()` after the goroutine's deferred or last `wg.Done()`, `g.Wait()` for
 * `g.Go(f)`, a receive from a local channel the goroutine closes or sends on last) meets ordinary
 * code only between its start and that join. TODO: joins spread over several functions (a
 * channel read in another method, a Wait in the caller) are not followed; such a map gets a lock
 * it does not strictly need.
 */
import type { PackageTransform, Pass } from '../../src/types.js';
import { analysePackage } from './analyse.js';
import { mayNeedLock } from './gate.js';
import { mayBeEntered } from './module-gate.js';
import { passContext } from './tree.js';

/** The transform: findings come from one analysis of the whole package (see analyse.ts). */
export const mapRwmutex: PackageTransform = {
  name: 'map-rwmutex',
  description: 'guard maps shared between goroutines with a sync.RWMutex',
  scope: 'package',
  layout: 'gofmt',
  // A package with no goroutine of its own may still be run by other packages' (module-gate.ts).
  mayMatch: (texts, dir) => mayNeedLock(texts) || mayBeEntered(texts, dir),
  run(pass: Pass): void {
    for (const [file, findings] of analysePackage(pass.pkg, () => passContext(pass))) for (const f of findings) pass.report({ ...f, file });
  },
};
