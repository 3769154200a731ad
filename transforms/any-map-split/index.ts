/**
 * any-map-split: split `map[string]interface{}` caches into one typed map per value type.
 *
 * Reports package-level variables and struct fields of type `map[string]interface{}` /
 * `map[string]any` (written out or through a named type of the package) that are unexported.
 *
 * Why it is risky: such a map hides its real shape behind type assertions that panic at run time
 * when a key holds another type than the reader expects, and every value is boxed, so writes from
 * several goroutines race on values of mixed sizes. When every value type is known statically, one
 * typed map per value type says the same thing and cannot panic.
 *
 * Have:
 *
 *	var config = map[string]interface{}{}
 *	config["timeout"] = 3000
 *	config["name"] = "svc"
 *	n := config["timeout"].(int)
 *	s, ok := config["name"].(string)
 *	delete(config, "name")
 *
 * Want:
 *
 *	var (
 *		configInts    = map[string]int{}
 *		configStrings = map[string]string{}
 *	)
 *	configInts["timeout"] = 3000
 *	configStrings["name"] = "svc"
 *	n := configInts["timeout"]
 *	s, ok := configStrings["name"]
 *	delete(configInts, "name")
 *	delete(configStrings, "name")
 *
 * Every use in the package (all files, tests included) is rewritten in one fix: typed writes and
 * reads rename the map and drop the assertion, `delete`/`clear` and resets repeat per typed map,
 * `len` becomes a sum, and each typed map is initialised wherever the original was (declaration,
 * constructor literal, `make`). A map whose writes all agree on one type becomes one typed map.
 * Rewrites stay in place, so a mutex that guarded the original guards every typed map with the
 * same critical sections.
 *
 * Declines (a finding without a fix, naming the reason) when: the map or field is exported; an
 * exported function's signature carries its untyped values (`func Get(k string) interface{}`); a
 * written value's type is unknown or an interface; the map is passed, returned, serialised,
 * printed, reflected on or ranged over whole (or, for a field, its struct is printed); a key is
 * tested for presence without an assertion (`m[k] == nil`, `_, ok := m[k]`); a key is not a
 * constant while the map holds several types; a key is written with two types; an assertion
 * disagrees with what its key holds, or reads a key never written (today that panics; after a
 * split it would silently read a zero value); sharing out a literal would reorder calls; a value
 * type exists only in test or build-constrained files; the new names are taken; the package has
 * syntax errors; or the result cannot be laid out exactly the way gofmt would.
 *
 * Only constant string keys (literals, string constants of the package or function) are static.
 * A map whose writes all have one type becomes one typed map, and then non-constant keys are fine.
 * A single-value read `m[k].(T)` of a key that is absent at run time panics today and reads the
 * zero value after the rewrite; gomend assumes correct programs do not rely on that panic.
 *
 * TODO: function, channel and anonymous struct value types are treated as unknown.
 * TODO: a struct holding the map prints differently after a split; gomend refuses when it sees a
 * value of that struct printed or reflected on, but cannot see values whose type it cannot infer.
 */
import type { Finding, Package, Transform } from '../../src/types.js';
import { findCandidates } from './candidates.js';
import { analyse } from './split.js';
import { indexPackage } from './symbols.js';
import type { PkgIndex } from './symbols.js';

const ANY_MAP = /map\s*\[\s*string\s*\]\s*(?:interface\s*\{\s*\}|any\b)/;
const ANY_MAP_NAMED = /(\w+)\s+=?\s*map\s*\[\s*string\s*\]\s*(?:interface\s*\{\s*\}|any\b)/g;

interface PkgView {
  /** Names declared (in any file) with an interface-map type: a superset of the named map types. */
  names: string[];
  index?: PkgIndex;
}

/**
 * Per-package memo of pure functions of the package (its index, a cheap pre-filter), so running
 * over each file of a large package does not redo package-wide work; it dies with the package.
 */
const views = new WeakMap<Package, PkgView>();

function viewOf(pkg: Package): PkgView {
  let v = views.get(pkg);
  if (!v) {
    const names = new Set<string>();
    for (const f of pkg.files) for (const m of f.source.matchAll(ANY_MAP_NAMED)) names.add(m[1]);
    v = { names: [...names] };
    views.set(pkg, v);
  }
  return v;
}

/** The transform: one finding per candidate map declared in the file, at its declaration. */
export const anyMapSplit: Transform = {
  name: 'any-map-split',
  description: 'split map[string]interface{} caches into one typed map per value type',
  // No mayMatch: a map declared through a named type of another file shows no `map[string]` here.
  run(file, ctx): Finding[] {
    const view = viewOf(ctx.pkg);
    if (!ANY_MAP.test(file.source) && !view.names.some((n) => new RegExp(`\\b${n}\\b`).test(file.source))) return [];
    const idx = (view.index ??= indexPackage(ctx.pkg));
    const out: Finding[] = [];
    for (const c of findCandidates(idx, file)) out.push(analyse(idx, ctx, c));
    return out;
  },
};
