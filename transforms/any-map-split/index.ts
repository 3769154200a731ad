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
 * Declines when: the map or field is exported; an
 * exported function's signature carries its untyped values (`func Get(k string) interface{}`); a
 * written value's type is unknown or an interface; the map is passed, returned, serialised,
 * printed, reflected on or ranged over whole (or, for a field, its struct is printed); a key is
 * tested for presence without an assertion (`m[k] == nil`, `_, ok := m[k]`); a key is not a
 * constant while the map holds several types; a key is written with two types; an assertion
 * disagrees with what its key holds, or reads a key never written (today that panics; after a
 * split it would silently read a zero value); sharing out a literal would reorder calls; a value
 * type exists only in test or build-constrained files; the new names are taken; the package has
 * syntax errors. A declined candidate
 * is an explanation (`note`), listed only with `--explain`: it is not a hazard gomend is sure of.
 * The one exception is an assertion that contradicts what every write of its key stores: that
 * panics today, so it is reported as a finding without a fix.
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
import type { PackageTransform } from '../../src/types.js';
import { findCandidates } from './candidates.js';
import { analyse } from './split.js';

const ANY_MAP = /map\s*\[\s*string\s*\]\s*(?:interface\s*\{\s*\}|any\b)/;
const ANY_MAP_ALL = new RegExp(ANY_MAP.source, 'g');

const SPACE = /\s/;
const WORD_CHAR = /\w/;

/**
 * The `(\w+)` of every match of `/(\w+)\s+=?\s*<interface map>/g` in a text, found from the map
 * types backwards: that regex tries every word of the text and costs more than the parses it
 * saves. As with a global match, text already matched is not matched again (`from`).
 */
function namesBefore(source: string): string[] {
  const out: string[] = [];
  let from = 0;
  const spaceBack = (i: number): number => {
    while (i > from && SPACE.test(source[i - 1])) i--;
    return i;
  };
  for (const m of source.matchAll(ANY_MAP_ALL)) {
    let end = spaceBack(m.index);
    if (end > from && source[end - 1] === '=') {
      const eq = end - 1;
      end = spaceBack(eq);
      if (end === eq) continue; // `x= map…`: the name needs white space after it
    } else if (end === m.index) {
      continue; // `xmap…`, `(map…`
    }
    let start = end;
    while (start > from && WORD_CHAR.test(source[start - 1])) start--;
    if (start === end) continue;
    out.push(source.slice(start, end));
    from = m.index + m[0].length;
  }
  return out;
}

/** Where the literal starting at `i` (a quote or a comment's `/`) ends, or -1 when it does not. */
function literalEnd(source: string, i: number): number {
  const c = source[i];
  if (c === '/') {
    if (source[i + 1] === '/') {
      const e = source.indexOf('\n', i);
      return e < 0 ? source.length : e;
    }
    const e = source.indexOf('*/', i + 2);
    return e < 0 ? -1 : e + 2;
  }
  if (c === '`') {
    const e = source.indexOf('`', i + 1);
    return e < 0 ? -1 : e + 1;
  }
  for (let j = i + 1; j < source.length && source[j] !== '\n'; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === c) return j + 1;
  }
  return -1;
}

const IDENT_CHAR = /[\p{L}\p{N}_]/u;

/** True when the `func` at `i` is the keyword, not part of a longer name. */
function isFuncKeyword(source: string, i: number): boolean {
  return source.startsWith('func', i) && !IDENT_CHAR.test(source[i - 1] ?? ' ') && !IDENT_CHAR.test(source[i + 4] ?? ' ');
}

/**
 * Where a signature or function type starting at `func` (at `i`) stops: the first line end, `;`,
 * `,`, brace or unbalanced closing bracket outside its parentheses, or -1 when a literal does not end.
 */
function signatureEnd(source: string, i: number): number {
  let depth = 0;
  for (let j = i + 4; j < source.length; j++) {
    const c = source[j];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (--depth < 0) return j;
    } else if (depth === 0 && (c === '\n' || c === ';' || c === ',' || c === '{' || c === '}')) return j;
    else if (c === '"' || c === "'" || c === '`' || (c === '/' && (source[j + 1] === '/' || source[j + 1] === '*'))) {
      const end = literalEnd(source, j);
      if (end < 0) return -1;
      j = end - 1;
    }
  }
  return source.length;
}

/**
 * The parts of a Go source where a candidate can be declared: the text outside every `{…}` and
 * the bodies of `struct {…}` types written there, without function signatures and types (a
 * parameter `m map[string]any` is no candidate). Strings, runes, comments and signatures become a
 * space, other braces' content is dropped (`{ }`). Undefined when the text does not lex as Go.
 */
function declarationText(source: string): string | undefined {
  let out = '';
  /** Whether each enclosing brace's content is kept. */
  const outer: boolean[] = [];
  let keep = true;
  let mark = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const literal = c === '"' || c === "'" || c === '`' || (c === '/' && (source[i + 1] === '/' || source[i + 1] === '*'));
    const signature = keep && c === 'f' && isFuncKeyword(source, i);
    if (c !== '{' && c !== '}' && !literal && !signature) continue;
    if (keep) out += source.slice(mark, i);
    if (literal || signature) {
      const end = literal ? literalEnd(source, i) : signatureEnd(source, i);
      if (end < 0) return undefined;
      if (keep) out += ' ';
      mark = end;
      i = end - 1;
      continue;
    }
    if (c === '{') {
      outer.push(keep);
      if (keep) {
        keep = outer.length === 1 && /\bstruct\s*$/.test(out.slice(-40));
        out += keep ? '{' : '{ ';
      }
    } else {
      if (outer.length === 0) return undefined;
      keep = outer.pop()!;
      if (keep) out += '}';
    }
    mark = i + 1;
  }
  if (outer.length > 0) return undefined;
  return keep ? out + source.slice(mark) : out;
}

/**
 * The transform: one finding per candidate map, at its declaration. Only files whose declaration
 * text writes an interface-map type (or names a type or variable declared with one) can declare a
 * candidate; a package with none is never parsed.
 */
export const anyMapSplit: PackageTransform = {
  name: 'any-map-split',
  description: 'split map[string]interface{} caches into one typed map per value type',
  scope: 'package',
  layout: 'gofmt',
  // A map declared through a named type of another file shows no `map[string]` in its own file.
  mayMatch: (texts) => texts.some((t) => ANY_MAP.test(t)),
  run(pass) {
    const names = new Set(pass.files.flatMap((f) => (ANY_MAP.test(f.source) ? namesBefore(f.source) : [])));
    const mentions = names.size > 0 ? new RegExp(`\\b(?:${[...names].join('|')})\\b`) : undefined;
    for (const file of pass.files) {
      if (!ANY_MAP.test(file.source) && !mentions?.test(file.source)) continue;
      // Candidates are package-level: a file that writes the type only inside functions has none.
      const decls = declarationText(file.source);
      if (decls !== undefined && !ANY_MAP.test(decls) && !mentions?.test(decls)) continue;
      try {
        for (const c of findCandidates(pass.model, file, pass.model.rootOf(file))) pass.report({ ...analyse(pass.model, pass, c), file: file.path });
      } catch (err) {
        pass.fail(file, err);
      }
    }
  },
};
