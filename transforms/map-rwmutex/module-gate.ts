/**
 * Whether goroutines of other packages of the module may run a package's code: the cheap test,
 * before anything is parsed, that lets a package with no goroutine of its own into map-rwmutex's
 * analysis (the gate's `mayNeedLock` asks for a goroutine or a lock in the package itself).
 *
 * A package is let in when its text spells `map[`, and the module's importer index (src/go/module.ts,
 * read once per process) shows a package that imports it, whose text may start a goroutine, and that
 * calls one of its exported functions or methods by name (`x.Name(`), or registers a gRPC service.
 * The analysis then decides with the model (module-entries.ts) before any importer is loaded.
 */
import { newModel } from '../../src/go/model.js';
import { importPathsOf } from '../../src/go/module.js';
import type { ModuleView } from '../../src/go/module.js';
import { readHeader } from '../../src/source.js';
import { REGISTER } from './entries.js';
import { spawnerNames } from './gate.js';

/** Importing packages loaded for one package at most: a package imported more widely is a utility whose importers are left out. */
export const MAX_IMPORTERS = 24;

let hint: RegExp | undefined;

/** Text that may start a goroutine: a `go` statement, a spawner call, a handler method, a gRPC registration or a Prometheus collector's. */
export function spawnHint(): RegExp {
  return (hint ??= new RegExp(`\\bgo\\s+[\\w(]|[.\\s](?:${spawnerNames().join('|')})\\s*\\(|\\bServeHTTP\\s*\\(|\\bRegister\\w*Server\\s*\\(|\\bMustRegister\\s*\\(`));
}

/** A package file as far as the tests here need it: its text, and its path when known (`_test.go`). */
interface Text {
  path?: string;
  source: string;
}

/**
 * The exported functions and methods the package's non-test, non-generated files declare (text
 * only). Generated files are left out: a map they declare is never fixed, and their writes (a
 * message's Unmarshal) run on values the caller made.
 */
export function exportedNames(files: readonly Text[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    if (f.path?.endsWith('_test.go') || readHeader(f.source).generated) continue;
    for (const m of f.source.matchAll(/^func\s*(?:\([^)]*\)\s*)?(\p{Lu}[\p{L}\p{N}_]*)/gmu)) out.add(m[1]);
  }
  return out;
}

/**
 * The packages of the module that import the package, may start goroutines, and call one of
 * `names` (`x.Name(`) or register a gRPC service, then those that reach it through an interface
 * (below): with `cap`, the importers are left out when more than MAX_IMPORTERS do (a utility
 * package); none for a package that cannot be imported (`main`). Without `cap` the list answers
 * only "may any?", a gate's question.
 */
export function importersOf(view: ModuleView | undefined, path: string | undefined, files: readonly Text[], names: ReadonlySet<string>, cap = true): string[] {
  if (!view || !path || view.path === 'std' || names.size === 0) return [];
  if (files.some((f) => !f.path?.endsWith('_test.go') && /^package\s+main\b/m.test(f.source))) return [];
  const list = view.importers(path, spawnHint()).filter((q) => {
    const called = view.calledNames(q);
    for (const n of names) if (called.has(n)) return true;
    for (const n of called) if (REGISTER.test(n)) return true;
    // `prometheus.MustRegister(exporter.New(…))`: the registry calls the collector's Collect.
    return names.has('Collect') && (called.has('MustRegister') || called.has('Register'));
  });
  const callers = interfaceCallers(view, path, files, names, cap);
  return cap && list.length > MAX_IMPORTERS ? callers : [...list, ...callers];
}

/**
 * The packages of the module that may run the package's methods through an interface without
 * importing it: for each package of the module the package imports whose interface types declare
 * one of `names` (a plugin imports the package declaring `Input`), the packages that call one of
 * those names (`r.Input.Gather(acc)`) and depend on that package, and then the packages that may
 * start goroutines and are, or import, one of those callers (an agent starting one goroutine per
 * plugin through a wrapper type of a third package). With `cap`, none when more than
 * MAX_IMPORTERS are.
 */
function interfaceCallers(view: ModuleView, path: string, files: readonly Text[], names: ReadonlySet<string>, cap: boolean): string[] {
  const hint = spawnHint();
  const index = view.index(hint);
  const out = new Set<string>();
  const imported = new Set(files.filter((f) => !f.path?.endsWith('_test.go')).flatMap((f) => importPathsOf(f.source)));
  for (const i of imported) {
    const via = [...(view.packageImports(i, hint)?.interfaceMethods ?? [])].filter((n) => names.has(n));
    if (via.length === 0) continue;
    const callers = new Set<string>();
    for (const c of index) {
      if (c.importPath === path || (c.importPath !== i && !view.dependencies(c.importPath, hint).has(i))) continue;
      const called = view.calledNames(c.importPath);
      if (via.some((n) => called.has(n))) callers.add(c.importPath);
    }
    if (callers.size === 0) continue;
    for (const q of index) {
      if (!q.hinted || q.importPath === path || q.imports.has(path) || out.has(q.importPath)) continue;
      if (callers.has(q.importPath) || [...callers].some((c) => q.imports.has(c))) out.add(q.importPath);
    }
  }
  return cap && out.size > MAX_IMPORTERS ? [] : [...out];
}

/**
 * True when another package of the module may run this one's code on goroutines of its own
 * (`dir` is the package's directory; without it, or outside a module, false): see above.
 */
export function mayBeEntered(texts: readonly string[], dir: string | undefined): boolean {
  if (!dir || !texts.some((t) => t.includes('map['))) return false;
  const view = newModel({ dir, name: '', files: [] }).module;
  const files = texts.map((source) => ({ source }));
  // Uncapped: the analysis asks again, capped, with only the names that reach a write (module-entries.ts).
  return importersOf(view, view?.importPathOf(dir), files, exportedNames(files), false).length > 0;
}
