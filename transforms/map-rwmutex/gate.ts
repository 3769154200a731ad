/**
 * The text gate of map-rwmutex: can this package have a finding at all? Answered from the source
 * text alone, before any file is parsed.
 *
 * The analysis needs every file of a package parsed and a call graph built, and on a whole
 * repository most packages that have both a map and a goroutine still have nothing to report. A
 * finding needs a write to a candidate map (a package-level map variable or a map field) that runs
 * in a goroutine: inside a `go` statement or a spawner's argument (`.Go(…)`, `AfterFunc(…)`,
 * `HandleFunc(…)`, …), in a `ServeHTTP` method, or in a package function reachable from one of
 * those by name. This file checks exactly that on the text, always erring towards "maybe":
 *
 * - candidate names are every identifier followed by a map type or `make(map…)` (or by a named map
 *   type of the package), so locals and unrelated names are included too;
 * - a write is any occurrence of such a name followed on its statement by an assignment operator,
 *   `++` or `--`, or inside `delete(`/`clear(` on its line;
 * - top-level declarations are cut at lines that start with `func`, `var`, `const`, `type` or
 *   `import` at column 0 (gofmt's layout), and every `func Name(` or `func (r T) Name(` inside a
 *   piece maps that name to it, so misplaced declarations only make pieces larger;
 * - reachability follows every identifier of a reached piece that names a function or method of the
 *   package, which over-approximates any resolution of calls and function values by name;
 * - a spawn whose function is not named in the package (a local `f := func(){…}`, a method value of
 *   a local) reaches the whole declaration around it.
 *
 * Code laid out far from gofmt (a declaration indented at top level, a `}` inside a string that
 * ends a statement early) may make the gate say no where the analysis would have reported: that
 * costs a finding, never a wrong fix.
 */
import { listEnd, skipLiteral, statementEnd } from '../../src/gotext.js';

const ID = '[\\p{L}_][\\p{L}\\p{N}_]*';
const NOT_ID_BEFORE = '(?<![\\p{L}\\p{N}_.])';
const NOT_ID_AFTER = '(?![\\p{L}\\p{N}_])';

/** Text that can start a goroutine at all (see SPAWN_SITE for the places themselves). */
const SPAWN_HINT = /^[\t ]*(?:[\p{L}_][\p{L}\p{N}_]*:[\t ]*)?go[\t ]+(?:func\b|[\p{L}_][\p{L}\p{N}_.]*[\t ]*[([])|[;{][\t ]*go[\t ]+[\p{L}_]|\.(Try)?Go\(|AfterFunc|HandleFunc|HandlerFunc|ServeHTTP|SetFinalizer|AddCleanup/mu;

/**
 * A `go` statement (group 1: the keyword at the start of a statement, after indentation, a label,
 * `{` or `;`), or a spawner call's name followed by its `(` (group 2).
 */
const SPAWN_SITE = new RegExp(
  `(?:^[\\t ]*(?:${ID}:[\\t ]*)?|[;{][\\t ]*)(go)(?:[\\t ]+(?=func\\b|${ID}(?:\\.${ID})*[\\t ]*[[(])|(?=\\())|(?:\\.(?:Go|TryGo)|${NOT_ID_BEFORE}(?:AfterFunc|HandleFunc|HandlerFunc|SetFinalizer|AddCleanup))[\\t ]*(\\()`,
  'gmu',
);

/** What may stand before `map[` when a name is declared with a map type or value. */
const BEFORE_MAP = new RegExp(`(${ID})[ \\t]*(?:=\\s*\\(?\\s*)?(?:make\\(\\s*)?$`, 'u');

/** Named map types: `type T map[…` or `T map[…` at the start of a line of a type block. */
const MAP_TYPE = new RegExp(`(?:^|\\btype)[ \\t]+(${ID})[ \\t]+map\\[`, 'gmu');

/** Column-0 starts of top-level declarations in gofmt's layout. */
const DECL_START = /^(?:func|var|const|type|import)\b/gm;

/** Function and method names declared in a piece of text. */
const FUNC_NAME = new RegExp(`${NOT_ID_BEFORE}func[ \\t]*(?:\\([^)]*\\)[ \\t]*)?(${ID})[ \\t]*[[(]`, 'gu');

const IDENT = new RegExp(`${ID}`, 'gu');

const KEYWORDS = ['break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var'];

/** A top-level piece of one file: [start, end) in its source, and whether it is reached yet. */
interface Piece {
  file: number;
  start: number;
  end: number;
  name: string;
}

/** A range of one file's source that runs in a goroutine. */
interface Span {
  file: number;
  start: number;
  end: number;
}

/** Cuts every file into top-level pieces and indexes them by the function names they declare. */
function outline(sources: readonly string[]): { pieces: Piece[]; byName: Map<string, Piece[]> } {
  const pieces: Piece[] = [];
  const byName = new Map<string, Piece[]>();
  sources.forEach((s, file) => {
    const starts = [0, ...[...s.matchAll(DECL_START)].map((m) => m.index!)];
    for (let k = 0; k < starts.length; k++) {
      const piece: Piece = { file, start: starts[k], end: k + 1 < starts.length ? starts[k + 1] : s.length, name: '' };
      pieces.push(piece);
      const text = s.slice(piece.start, piece.end);
      for (const m of text.matchAll(FUNC_NAME)) {
        if (!piece.name) piece.name = m[1];
        const list = byName.get(m[1]) ?? [];
        list.push(piece);
        byName.set(m[1], list);
      }
    }
  });
  return { pieces, byName };
}

/** The piece of `file` holding `index`. */
function pieceAt(pieces: Piece[], file: number, index: number): Piece | undefined {
  return pieces.find((p) => p.file === file && p.start <= index && index < p.end);
}

/** Where goroutines start: spawn statements and arguments, and ServeHTTP methods whole. */
function goroutineSpans(sources: readonly string[], pieces: Piece[], byName: Map<string, Piece[]>): Span[] {
  const spans: Span[] = [];
  sources.forEach((s, file) => {
    for (const m of s.matchAll(SPAWN_SITE)) {
      const at = m[1] ? m.index! + m[0].length : m.index! + m[0].length - 1;
      const end = m[1] ? statementEnd(s, at) : listEnd(s, at);
      spans.push({ file, start: at, end });
      // `go f()` or `g.Go(f)` with an f the package does not declare as a function may run a
      // literal bound in the enclosing declaration: take that declaration whole.
      const words = s.slice(at, end).match(IDENT) ?? [];
      if (!words.includes('func' as never) && !words.some((w) => byName.has(w))) {
        const around = pieceAt(pieces, file, m.index!);
        if (around) spans.push({ file, start: around.start, end: around.end });
      }
    }
  });
  for (const p of byName.get('ServeHTTP') ?? []) spans.push({ file: p.file, start: p.start, end: p.end });
  return spans;
}

/** Every span of code that may run in a goroutine: the spawn spans and the pieces they reach. */
function reachedSpans(sources: readonly string[], pieces: Piece[], byName: Map<string, Piece[]>): Span[] {
  const spans = goroutineSpans(sources, pieces, byName);
  const reached = new Set<Piece>();
  const queue: Span[] = [...spans];
  while (queue.length > 0) {
    const span = queue.pop()!;
    for (const w of sources[span.file].slice(span.start, span.end).match(IDENT) ?? []) {
      for (const p of byName.get(w) ?? []) {
        if (reached.has(p)) continue;
        reached.add(p);
        spans.push(p);
        queue.push(p);
      }
    }
  }
  return spans;
}

/** The text of the package-level declarations starting with `keyword`. */
function declarationTexts(sources: readonly string[], pieces: Piece[], keyword: 'var' | 'type'): string[] {
  return pieces.filter((p) => sources[p.file].startsWith(keyword, p.start) && !/[\p{L}\p{N}_]/u.test(sources[p.file][p.start + keyword.length] ?? '')).map((p) => sources[p.file].slice(p.start, p.end));
}

/** Names in `decls` declared with a map type or value, or with one of the named map types. */
function mapNames(decls: readonly string[], typeNames: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const s of decls) {
    for (let i = s.indexOf('map['); i !== -1; i = s.indexOf('map[', i + 4)) {
      const m = BEFORE_MAP.exec(s.slice(Math.max(0, i - 120), i));
      if (m) names.add(m[1]);
    }
  }
  if (typeNames.size > 0) {
    const alt = [...typeNames].join('|');
    const typed = new RegExp(`(${ID})[ \\t]+(?:${alt})${NOT_ID_AFTER}|(${ID})[ \\t]*=\\s*\\(?\\s*(?:(?:${alt})[ \\t]*\\{|make\\(\\s*(?:${alt})${NOT_ID_AFTER})`, 'gu');
    for (const s of decls) for (const m of s.matchAll(typed)) names.add(m[1] ?? m[2]);
  }
  for (const k of KEYWORDS) names.delete(k);
  return names;
}

/**
 * Candidate map names: variables of package-level `var` declarations, and fields (and named
 * types) of package-level `type` declarations, declared with a map type or a named map type.
 */
function candidateNames(sources: readonly string[], pieces: Piece[]): { vars: Set<string>; fields: Set<string> } {
  const types = declarationTexts(sources, pieces, 'type');
  const typeNames = new Set<string>();
  for (const s of types) for (const m of s.matchAll(MAP_TYPE)) typeNames.add(m[1]);
  for (const k of KEYWORDS) typeNames.delete(k);
  return { vars: mapNames(declarationTexts(sources, pieces, 'var'), typeNames), fields: mapNames(types, typeNames) };
}

/** Occurrences of `names`: plain identifiers for variables, selectors `.name` for fields. */
function occurrences(names: ReadonlySet<string>, selector: boolean): RegExp | undefined {
  if (names.size === 0) return undefined;
  const before = selector ? '(?<=\\.\\s*)' : '(?<![\\p{L}\\p{N}_.])';
  return new RegExp(`${before}(?:${[...names].join('|')})${NOT_ID_AFTER}`, 'gu');
}

/**
 * True when the occurrence of a name at [at, end) may be written: followed on its line (or inside
 * brackets opened there) by an assignment operator, `++` or `--`, or inside `delete(`/`clear(`.
 */
function writtenAt(s: string, at: number, end: number): boolean {
  const lineStart = s.lastIndexOf('\n', at - 1) + 1;
  const before = s.slice(lineStart, at);
  // In a line comment, or `*p = …` (a map is never dereferenced): not a write of a map.
  if (before.includes('//') || /\*\s*$/.test(before)) return false;
  if (/\b(?:delete|clear)\s*\(/.test(before)) return true;
  let depth = 0;
  for (let i = end; i < s.length; ) {
    const skipped = skipLiteral(s, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (--depth < 0) return false;
    } else if (depth === 0 && (c === '\n' || c === ';' || c === '{' || c === '}')) return false;
    else if (c === '=') {
      if (s[i + 1] === '=') {
        i += 2;
        continue;
      }
      const p = s[i - 1];
      const shift = (p === '<' || p === '>') && s[i - 2] === p;
      if (shift || (p !== '!' && p !== '<' && p !== '>' && p !== ':')) return true;
    } else if ((c === '+' || c === '-') && s[i + 1] === c) return true;
    i++;
  }
  return false;
}

/** A write of a candidate map inside code that may run in a goroutine: why the gate said yes. */
export interface GateWitness {
  file: number;
  /** Offset of the written name in its source. */
  write: number;
  /** The goroutine span holding it. */
  span: { start: number; end: number };
}

/**
 * The first write to a candidate map that may run in a goroutine, or undefined when there is none
 * (then map-rwmutex has nothing to report in the package).
 */
export function gateWitness(sources: readonly string[]): GateWitness | undefined {
  if (!sources.some((s) => s.includes('map['))) return undefined;
  if (!sources.some((s) => SPAWN_HINT.test(s))) return undefined;
  const { pieces, byName } = outline(sources);
  const { vars, fields } = candidateNames(sources, pieces);
  const patterns = [occurrences(vars, false), occurrences(fields, true)].filter((r): r is RegExp => !!r);
  const writes: Span[] = [];
  sources.forEach((s, file) => {
    for (const pattern of patterns) {
      for (const m of s.matchAll(pattern)) {
        if (writtenAt(s, m.index!, m.index! + m[0].length)) writes.push({ file, start: m.index!, end: m.index! + m[0].length });
      }
    }
  });
  if (writes.length === 0) return undefined;
  const spans = reachedSpans(sources, pieces, byName);
  for (const w of writes) {
    const span = spans.find((sp) => sp.file === w.file && sp.start <= w.start && w.start < sp.end);
    if (span) return { file: w.file, write: w.start, span: { start: span.start, end: span.end } };
  }
  return undefined;
}

/**
 * True when map-rwmutex may report something in a package with these sources; false only when no
 * write to any candidate map can run in a goroutine.
 */
export function mayNeedLock(sources: readonly string[]): boolean {
  return gateWitness(sources) !== undefined;
}
