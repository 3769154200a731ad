/**
 * The text gate of map-rwmutex: can this package have a finding at all? Answered from the source
 * text alone, before any file is parsed.
 *
 * The analysis needs every file of a package parsed and a call graph built, and on a whole
 * repository most packages that have both a map and a goroutine still have nothing to report. A
 * finding needs a write to a candidate map (a package-level map variable or a map field) that runs
 * in a goroutine: inside a `go` statement or a spawner's argument (`.Go(…)`, `AfterFunc(…)`,
 * `HandleFunc(…)`, …), in a `ServeHTTP` method, or in a package function reachable from one of
 * those. This file checks exactly that on the text, always erring towards "maybe":
 *
 * - comments and the inside of string literals are blanked first (same offsets), so words there
 *   are neither names, nor writes, nor calls;
 * - candidate names are every name declared with a map type or `make(map…)` (or a named map type
 *   or alias of the package) in a package-level `var` or in a `type` declaration (fields); a name
 *   inside the braces of a `var` (a field of an anonymous struct variable) is a field reached
 *   like a package variable;
 * - a write is an occurrence followed on its statement by an assignment operator or `++`/`--`
 *   after an index, or inside `delete(`/`clear(`; `m += 1` or `m++` on the name itself is not (a
 *   map cannot be its operand), and a variable's name is not the package variable where the
 *   function's signature declares it, or its top block (one tab in) did before the write;
 * - top-level declarations are cut at lines that start with `func`, `var`, `const`, `type` or
 *   `import` at column 0 (gofmt's layout), and every `func Name(` or `func (r T) Name(` inside a
 *   piece maps that name to it, so misplaced declarations only make pieces larger;
 * - for a package variable, reachability follows every identifier of a reached piece: a plain one
 *   to the package's functions of that name, a selected one (`x.name`) to its methods of that name,
 *   which over-approximates any resolution of calls and function values;
 * - for a field, only the values a goroutine was handed count (as `instanceReach` and `boundIn`):
 *   what a spawn starts is what its `go` statement or spawner argument names (`x.m` with several
 *   methods `m`: those of the types the declaration around it names, as `preciseMethods`
 *   resolves it), then methods called on a plain operand bound there (an entry's receiver or
 *   parameters, a spawned literal's captures, a reached method's receiver);
 * - a spawn of a name that may be a local (`f := func(){…}; go f()`) reaches the whole
 *   declaration around it;
 * - a map used under a line that is only `x.mu.Lock()` (see gate-locks.ts), or in a function
 *   named `…Locked`, counts as guarded for the goroutine search, as the analysis's `guardedBy`
 *   has it; writes in `init` or in a function run by `sync.Once` are initialisation;
 * - but a package where a file that calls `….Lock()`/`….RLock()` names a candidate, and a
 *   `sync` mutex is declared, may hold a partly locked map (see `lockEvidence` in guards.ts),
 *   which is a finding without any goroutine: such a package always passes;
 * - with file names, each operating system's build group (src/buildtags.ts) is searched on its own.
 *
 * Code laid out far from gofmt (a declaration indented at top level, a `}` inside a string that
 * ends a statement early) may make the gate say no where the analysis would have reported: that
 * costs a finding, never a wrong fix. `scripts/gate-check.mjs` compares the gate with the analysis
 * over whole trees.
 */
import { buildGroups } from '../../src/buildtags.js';
import { plainLockRegions } from './gate-locks.js';
import { blankLiterals, declarationStarts, GO_KEYWORDS, identCharLength, listEnd, scanTopLevel, skipLiteral, startsStatement, statementEnd } from '../../src/gotext.js';

const ID = '[\\p{L}_][\\p{L}\\p{N}_]*';
const NOT_ID_BEFORE = '(?<![\\p{L}\\p{N}_.])';
const NOT_ID_AFTER = '(?![\\p{L}\\p{N}_])';

/** Text that can start a goroutine at all (see spawnSites for the places themselves). */
const SPAWN_HINT = /^[\t ]*(?:[\p{L}_][\p{L}\p{N}_]*:[\t ]*)?go[\t ]*(?:\(|[\t ]func\b|[\t ][\p{L}_][\p{L}\p{N}_.]*[\t ]*[([])|[;{][\t ]*go[\t ]*[\p{L}_(]|\.(Try)?Go\(|AfterFunc|HandleFunc|HandlerFunc|ServeHTTP|SetFinalizer|AddCleanup|Submit|NewPoolWithFunc|Register\p{L}*Serv(?:er|ice)[\t ]*\(/mu;

/** The word `go`, where a `go` statement may start. */
const GO_WORD = /\bgo\b/g;


/** What follows `go` in a statement: a function literal, or a call of a (qualified) name. */
const AFTER_GO = new RegExp(`[\\t ]+(?=func\\b|${ID}(?:\\.${ID})*[\\t ]*[[(])|[\\t ]*(?=\\()`, 'uy');

/** A spawner call's name (group 1 or 2) and its `(`. */
const SPAWNER_CALL = /(?:\.(Go|TryGo|Submit|SubmitWait|TrySubmit)|(?<![\p{L}\p{N}_])(AfterFunc|HandleFunc|HandlerFunc|SetFinalizer|AddCleanup|NewPoolWithFunc))[\t ]*\(/gu;

/** Which argument of a spawner call is the function it runs (-1: the last), as in spawns.ts. */
const SPAWNER_ARG: Record<string, number> = {
  Go: 0, TryGo: 0, AfterFunc: -1, HandleFunc: -1, HandlerFunc: 0, SetFinalizer: 1, AddCleanup: 1,
  Submit: 0, SubmitWait: 0, TrySubmit: 0, NewPoolWithFunc: 1,
};

/** A gRPC registration (`RegisterFooServer(s, impl)`, `s.RegisterService(desc, impl)`) and its `(`. */
const REGISTER_CALL = /(?<![\p{L}\p{N}_])Register\p{L}*Serv(?:er|ice)[\t ]*\(/gu;

/**
 * A place a goroutine may start: [at, end) the `go` statement after its keyword or a spawner's
 * argument list, and `fn` the function expression it runs (`f` of `go f(x)`, the argument of
 * `g.Go(f)`), absent when the call has too few arguments to start anything.
 */
interface SpawnSite {
  at: number;
  end: number;
  fn?: [number, number];
}

/**
 * Where goroutines may start in a source whose comments and literals are blanked. Found with plain
 * searches first and checked around each hit, which is much faster than one pattern tried at
 * every position.
 */
function spawnSites(s: string): SpawnSite[] {
  const out: SpawnSite[] = [];
  for (const m of s.matchAll(GO_WORD)) {
    const i = m.index!;
    if (!startsStatement(s, i)) continue;
    AFTER_GO.lastIndex = i + 2;
    const after = AFTER_GO.exec(s);
    if (!after) continue;
    const at = i + 2 + after[0].length;
    const end = statementEnd(s, at);
    out.push({ at, end, fn: [at, callArgsAt(s, at, end)] });
  }
  for (const m of s.matchAll(SPAWNER_CALL)) {
    const at = m.index! + m[0].length - 1;
    const end = listEnd(s, at);
    out.push({ at, end, fn: argumentAt(s, at + 1, end - 1, SPAWNER_ARG[m[1] ?? m[2]]) });
  }
  return out;
}

/** The `index`-th argument (-1: the last) of the list `s[from, to)`, trimmed of spaces. */
function argumentAt(s: string, from: number, to: number, index: number): [number, number] | undefined {
  const args: [number, number][] = [];
  let start = from;
  scanTopLevel(s, from, to, (i) => {
    if (s[i] !== ',') return;
    args.push([start, i]);
    start = i + 1;
  });
  if (s.slice(start, to).trim() !== '') args.push([start, to]);
  const arg = args[index < 0 ? args.length + index : index];
  if (!arg) return undefined;
  let [a, b] = arg;
  while (a < b && /\s/.test(s[a])) a++;
  while (b > a && /\s/.test(s[b - 1])) b--;
  return [a, b];
}

/** True when `s[i]` is (the start of) a character of an identifier. */
function isIdentChar(s: string, i: number): boolean {
  return identCharLength(s, i) > 0;
}

/** Named map types: `type T map[…` or `T map[…` at the start of a line of a type block. */
const MAP_TYPE = new RegExp(`(?:^|\\btype)[ \\t]+(${ID})[ \\t]+(?:=[ \\t]*)?map\\[`, 'gmu');

/** Function and method names declared in a piece of text (group 1: the receiver of a method). */
const FUNC_NAME = new RegExp(`${NOT_ID_BEFORE}func[ \\t]*(\\([^)]*\\)[ \\t]*)?(${ID})[ \\t]*[[(]`, 'gu');

/** Identifiers that are not the name part of a selector. */
const IDENT_NOT_SELECTED = new RegExp(`(?<![\\p{L}\\p{N}_])(?<!\\.\\s*)${ID}`, 'gu');

/** Local declarations at the top block of a function body (one tab in): `a, b := …` or `var a …` (group 1 or 3 present). */
const TOP_LOCAL = new RegExp(`^\\t(var[ \\t]+)?(${ID}(?:[ \\t]*,[ \\t]*${ID})*)[ \\t]*(:=)?`, 'gmu');

/**
 * A top-level piece of one file: [start, end) in its source. For a function or method, where its
 * body starts and the names its signature declares (receiver, type parameters, parameters,
 * results), which hide package variables of the same name in the whole body.
 */
interface Piece {
  file: number;
  start: number;
  end: number;
  name: string;
  /** Set once `signatureOf` has looked at the piece (only pieces with a write need it). */
  signed?: boolean;
  bodyStart?: number;
  signature?: Set<string>;
  /** Named functions and methods declared in the piece (one, in gofmt's layout). */
  funcs?: number;
  /** A method piece's receiver: its name and base type (`c` and `T` in `func (c *T[K]) m(`). */
  receiver?: { name: string; type: string };
  /** A method piece's receiver base type, named receiver or not. */
  methodOf?: string;
  /** The type names its locals may have, once asked (see `typeWords`; null: any). */
  words?: Set<string> | null;
  /** Whether the body may declare the receiver's name again (see `redeclares`), once asked. */
  receiverRedeclared?: boolean;
}

/** Functions and methods of the package by name: a call `x.f()` can only reach a method, `f()` only a function. */
interface Callables {
  funcs: Map<string, Piece[]>;
  methods: Map<string, Piece[]>;
  /** Methods by receiver base type and name: `T.m`. */
  typedMethods: Map<string, Piece[]>;
}

/** A method's receiver group: its name (absent when unnamed) and base type. */
const RECEIVER = new RegExp(`^\\(\\s*(?:(${ID})\\s+)?\\*?\\s*(${ID})\\s*(?:\\[[^\\]]*\\]\\s*)?\\)`, 'u');

/** A range of one file's source that runs in a goroutine. */
interface Span {
  file: number;
  start: number;
  end: number;
  /**
   * A `go` statement that calls a named function (`go x.m(a)`): what it starts is its entry, and
   * the statement itself runs in the goroutine that starts it.
   */
  call?: boolean;
}

/** Cuts every file into top-level pieces. */
function cutPieces(sources: readonly string[]): Piece[] {
  const pieces: Piece[] = [];
  sources.forEach((s, file) => {
    const starts = declarationStarts(s);
    for (let k = 0; k < starts.length; k++) pieces.push({ file, start: starts[k], end: k + 1 < starts.length ? starts[k + 1] : s.length, name: '' });
  });
  return pieces;
}

/** Indexes the pieces by the function and method names they declare. */
function indexCallables(sources: readonly string[], pieces: Piece[]): Callables {
  const callables: Callables = { funcs: new Map(), methods: new Map(), typedMethods: new Map() };
  const add = (map: Map<string, Piece[]>, key: string, piece: Piece): void => {
    const list = map.get(key);
    if (list) list.push(piece);
    else map.set(key, [piece]);
  };
  let k = 0;
  sources.forEach((s, file) => {
    while (pieces[k].file !== file) k++;
    for (const m of s.matchAll(FUNC_NAME)) {
      while (pieces[k].end <= m.index!) k++;
      const piece = pieces[k];
      if (!piece.name) piece.name = m[2];
      piece.funcs = (piece.funcs ?? 0) + 1;
      add(m[1] ? callables.methods : callables.funcs, m[2], piece);
      const recv = m[1] ? RECEIVER.exec(m[1]) : null;
      if (recv) {
        add(callables.typedMethods, `${recv[2]}.${m[2]}`, piece);
        if (m.index === piece.start) piece.methodOf = recv[2];
        if (m.index === piece.start && recv[1]) piece.receiver = { name: recv[1], type: recv[2] };
      }
    }
  });
  return callables;
}

/**
 * Finds where a function piece's body starts and the identifiers of its signature. Types in a
 * signature cannot name a package variable, so every plain identifier there that matches one is a
 * receiver, parameter or result name. A `{` of a `struct{…}` or `interface{…}` type is skipped.
 */
function signatureOf(s: string, piece: Piece): void {
  piece.signed = true;
  if (!s.startsWith('func', piece.start)) return;
  let depth = 0;
  for (let i = piece.start; i < piece.end; ) {
    const skipped = skipLiteral(s, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '\n' && depth === 0) return; // no body: declared in assembly
    else if (c === '{') {
      if (/(?:struct|interface)\s*$/.test(s.slice(Math.max(piece.start, i - 16), i))) {
        i = listEnd(s, i);
        continue;
      }
      if (depth !== 0) return;
      piece.bodyStart = i;
      piece.signature = new Set();
      for (const m of s.slice(piece.start + 4, i).matchAll(IDENT_NOT_SELECTED)) piece.signature.add(m[0]);
      return;
    }
    i++;
  }
}

/** The piece of `file` holding `index` (pieces are in file order, then source order). */
function pieceAt(pieces: Piece[], file: number, index: number): Piece | undefined {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid];
    if (p.file < file || (p.file === file && p.end <= index)) lo = mid + 1;
    else if (p.file > file || p.start > index) hi = mid - 1;
    else return p;
  }
  return undefined;
}

/**
 * Calls `visit` with every identifier of `s[start, end)`, whether it is selected (`x.name`), and
 * for a selected one where its dot is. Scans characters instead of matching a pattern: reached
 * code is most of a large package, and a match object per identifier was most of the gate's
 * garbage.
 */
function eachIdentifier(s: string, start: number, end: number, visit: (name: string, selected: boolean, dot: number) => void): void {
  for (let i = start; i < end; ) {
    if (!isIdentChar(s, i)) {
      i++;
      continue;
    }
    const from = i;
    for (let w = identCharLength(s, i); w > 0 && i < end; w = identCharLength(s, i)) i += w;
    const c = s.charCodeAt(from);
    if (c >= 48 && c <= 57) continue; // a number
    const before = skipSpaceBack(s, from - 1);
    const selected = s[before] === '.';
    visit(s.slice(from, i), selected, before);
  }
}

/** The last index at or before `i` that is not a space, tab or newline (-1 if none). */
function skipSpaceBack(s: string, i: number): number {
  while (i >= 0 && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n')) i--;
  return i;
}

/** True for an ASCII letter, digit or underscore. */
function isAsciiIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * The operand of the selector whose dot is at `dot`, when it may be a plain identifier: the
 * identifier (`x` of `x.name`), or '' when it may be one that is not read here (`(x).name`, a
 * name beyond ASCII); null when it surely is none (`a.b.name`, `a[i].name`, a literal).
 */
function plainOperand(s: string, dot: number): string | null {
  const i = skipSpaceBack(s, dot - 1);
  const c = s[i];
  if (c === ']' || c === '}' || c === '"' || c === '`' || c === "'") return null;
  if (c === ')' && isCallEnd(s, i)) return null;
  if (i < 0 || !isAsciiIdent(s.charCodeAt(i))) return '';
  let j = i;
  while (j >= 0 && isAsciiIdent(s.charCodeAt(j))) j--;
  if (j >= 0 && s.charCodeAt(j) > 127) return ''; // a name with letters beyond ASCII
  return s[skipSpaceBack(s, j)] === '.' ? null : s.slice(j + 1, i + 1);
}

/**
 * The variable at the root of the selector chain whose last dot is at `dot` (`b` of `b.f.name`),
 * '' when it may be one the text cannot read (a name beyond ASCII, parentheses), null when the
 * chain starts at no variable (`f().name`, `a[i].b.name`, a literal).
 */
function chainRoot(s: string, dot: number): string | null {
  for (;;) {
    const i = skipSpaceBack(s, dot - 1);
    const c = s[i];
    if (c === ')') return isCallEnd(s, i) ? null : '';
    if (i < 0 || !isAsciiIdent(s.charCodeAt(i))) return c === ']' || c === '}' || c === '"' || c === '`' || c === "'" ? null : '';
    let j = i;
    while (j >= 0 && isAsciiIdent(s.charCodeAt(j))) j--;
    if (j >= 0 && s.charCodeAt(j) > 127) return '';
    const before = skipSpaceBack(s, j);
    if (s[before] !== '.') return s.slice(j + 1, i + 1);
    dot = before;
  }
}

/**
 * True when the `)` at `close` ends a call or conversion (`f(x)`, `a.b()`, `T[K](x)`), whose value
 * is no variable, rather than a parenthesised expression (`(x)`, `(*p)`).
 */
function isCallEnd(s: string, close: number): boolean {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = s[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if ((c === '(' || c === '[' || c === '{') && --depth === 0) {
      if (c !== '(') return false;
      const before = s[i - 1] ?? '';
      return before === ')' || before === ']' || isIdentChar(s, i - 1);
    }
  }
  return false;
}

/** The functions and methods an identifier may name: a selected name (`x.f`) only methods, a plain one only functions. */
function callablesNamed(callables: Callables, name: string, selected: boolean): Piece[] | undefined {
  return (selected ? callables.methods : callables.funcs).get(name);
}

/** Where goroutines start, and the package functions and methods they start (their entries). */
interface Goroutines {
  /** Spawn statements and arguments, ServeHTTP methods whole, declarations around unnamed spawns. */
  spans: Span[];
  /** Pieces a spawn may start by name (see `spawnTargets` in spawns.ts): `f` of `go f(x)`, `m` of `g.Go(x.m)`. */
  entries: Set<Piece>;
}

/** Finds where goroutines start and what they start. */
function goroutineSpans(sources: readonly string[], pieces: Piece[], callables: Callables, tests?: readonly boolean[]): Goroutines {
  const spans: Span[] = [];
  const entries = new Set<Piece>();
  sources.forEach((s, file) => {
    for (const { at, end, fn } of spawnSites(s)) {
      const literal = !!fn && startsLiteral(s, s.slice(fn[0], fn[1]).search(/[^\s(]|$/) + fn[0]);
      spans.push({ file, start: at, end, call: !!fn && !literal });
      if (!fn || literal) continue;
      const around = pieceAt(pieces, file, at);
      for (const [from, to] of unbracedRanges(s, fn[0], fn[1])) {
        eachIdentifier(s, from, to, (name, selected, dot) => {
          for (const p of (selected ? methodEntries(sources, pieces, callables, file, around, name, dot) : callables.funcs.get(name)) ?? []) entries.add(p);
        });
      }
      // `go f()` or `g.Go(f)` where f may be a local holding a literal (`f := func(){…}`, see
      // `localLiteral` in model.ts): take the declaration around it whole.
      const bare = BARE_NAME.exec(s.slice(fn[0], fn[1]))?.[1];
      if (around && bare && redeclares(s, around.start, around.end, bare)) spans.push({ file, start: around.start, end: around.end });
    }
  });
  // A test's handler type is served concurrently only where the test spawns it (as the analysis has it).
  for (const p of callables.methods.get('ServeHTTP') ?? []) if (!tests?.[p.file] || entries.has(p)) spans.push({ file: p.file, start: p.start, end: p.end });
  // A type registered with a gRPC server: all its exported methods (all of the package's when the
  // argument does not show the type) run per request, and they are entries on their receivers.
  sources.forEach((s, file) => {
    for (const m of s.matchAll(REGISTER_CALL)) {
      const at = m.index! + m[0].length - 1;
      const arg = argumentAt(s, at + 1, listEnd(s, at) - 1, -1);
      if (!arg) continue;
      const type = new RegExp(`^&?[\\s(]*(${ID})[\\s)]*\\{`, 'u').exec(s.slice(arg[0], arg[1]))?.[1];
      for (const [name, list] of callables.methods) {
        if (!/^\p{Lu}/u.test(name)) continue;
        for (const p of list) {
          if (type && p.methodOf !== undefined && p.methodOf !== type) continue;
          entries.add(p);
          spans.push({ file: p.file, start: p.start, end: p.end });
        }
      }
    }
  });
  return { spans, entries };
}

/**
 * The methods a spawn of `x.name` (at `dot` in `around`) may start, as `preciseMethods` resolves
 * it: the only method of the name; else those of `x`'s type when its declaration shows it. The
 * text cannot find that declaration, but the type's name must appear in it: in the declaration
 * around the spawn (a receiver, parameter, `var x T`, `&T{}`, `new(T)`), in the signature of a
 * package function it calls (`x := newT()`), or in a package-level `var` naming `x` (then every
 * method of the name is kept). `a.b.name` or `f().name` starts none when the name is ambiguous.
 */
function methodEntries(sources: readonly string[], pieces: Piece[], callables: Callables, file: number, around: Piece | undefined, name: string, dot: number): Piece[] | undefined {
  const all = callables.methods.get(name);
  if (!all || all.length <= 1) return all;
  const operand = plainOperand(sources[file], dot);
  if (operand === null) return undefined;
  if (operand === '' || !around || packageVarWords(sources, pieces).has(operand)) return all;
  if (around.words === undefined) around.words = typeWords(sources, around, callables);
  const types = around.words;
  return types ? all.filter((m) => m.methodOf === undefined || types.has(m.methodOf)) : all;
}

/** Memo of `packageVarWords`, per package. */
const varWords = new WeakMap<Piece[], Set<string>>();

/** Every identifier of the package-level `var` declarations. */
function packageVarWords(sources: readonly string[], pieces: Piece[]): Set<string> {
  let words = varWords.get(pieces);
  if (!words) {
    words = new Set();
    for (const p of pieces) {
      const s = sources[p.file];
      if (s.startsWith('var', p.start) && !isIdentChar(s, p.start + 3)) eachIdentifier(s, p.start, p.end, (name) => words!.add(name));
    }
    varWords.set(pieces, words);
  }
  return words;
}

/**
 * The identifiers of a piece and of the signatures of the package functions it calls by name,
 * where a local's type must be named; null when a signature cannot be read (every type then).
 */
function typeWords(sources: readonly string[], piece: Piece, callables: Callables): Set<string> | null {
  const words = new Set<string>();
  const called = new Set<Piece>();
  eachIdentifier(sources[piece.file], piece.start, piece.end, (name, selected) => {
    words.add(name);
    if (!selected) for (const f of callables.funcs.get(name) ?? []) called.add(f);
  });
  for (const f of called) {
    if (!f.signed) signatureOf(sources[f.file], f);
    if (!f.signature) return null;
    for (const w of f.signature) words.add(w);
  }
  return words;
}

/** A function expression that is only a name: `f`, `(f)`, `f[T]`. */
const BARE_NAME = new RegExp(`^[\\s(]*(${ID})[\\s)]*(?:\\[[^\\]]*\\][\\s)]*)?$`, 'u');

/** True when a function literal starts at `at`. */
function startsLiteral(s: string, at: number): boolean {
  return s.startsWith('func', at) && !isIdentChar(s, at + 4);
}

/**
 * Where the arguments of the call a `go` statement runs open (`(` of `go x.m(a)`): the function
 * expression is the text before, and only it names what the goroutine starts. Skips brackets,
 * so `go f[T](a)` and `go f(a)(b)` end at their last list; `end` when there is none.
 */
function callArgsAt(s: string, at: number, end: number): number {
  let last = end;
  scanTopLevel(s, at, end, (i) => {
    if (s[i] === '(') last = i;
  });
  return last;
}

/**
 * The ranges of `s[from, to)` outside `{…}`: a spawner's arguments less the bodies of literals,
 * whose calls run inside the goroutine, not as what it starts.
 */
function unbracedRanges(s: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  for (let i = from; i < to; ) {
    const skipped = skipLiteral(s, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (s[i] === '{') {
      out.push([start, i]);
      i = start = listEnd(s, i);
      continue;
    }
    i++;
  }
  out.push([start, to]);
  return out;
}

/** Every span of code that may run in a goroutine: the spawn spans and the pieces they reach. */
function reachedSpans(sources: readonly string[], callables: Callables, spawns: Goroutines): Span[] {
  return reachFrom(sources, spawns.spans, (_span, name, selected) => callablesNamed(callables, name, selected));
}

/**
 * The code a goroutine may run on the struct values it was handed, where a write to a map field
 * can be shared (see `instanceReach` and `boundIn` in sharing.ts): the spawn spans and the entries
 * they start, then methods called on a plain operand (`b.m()`) bound there: in an entry or a
 * spawned literal its receiver, a parameter or a captured variable; in a method reached from them
 * only its receiver. A function called by name or a method of `a.b` or `a[i]` works on values of
 * its own. A call on a method's own receiver reaches only the receiver type's methods of that name
 * when it has one (as `preciseMethods` resolves it).
 */
function instanceSpans(sources: readonly string[], callables: Callables, spawns: Goroutines): Span[] {
  const { entries } = spawns;
  return reachFrom(sources, [...spawns.spans.filter((sp) => !sp.call), ...entries], (span, name, selected, dot) => {
    if (!selected) return undefined;
    // `b.name` or, on a value `b` holds, `b.f.name` (an interface field's implementations).
    let operand = plainOperand(sources[span.file], dot);
    const chain = operand === null;
    if (chain) operand = chainRoot(sources[span.file], dot);
    if (operand === null) return undefined;
    const piece = 'funcs' in span ? (span as Piece) : undefined;
    if (!piece || piece.funcs !== 1) return callables.methods.get(name);
    const recv = piece.receiver;
    const own = !chain && operand === recv?.name;
    if (!own && operand !== '' && !boundInPiece(sources[span.file], piece, operand, entries.has(piece))) return undefined;
    if (recv && own && !(piece.receiverRedeclared ??= receiverRedeclared(sources[span.file], piece, recv.name))) {
      const typed = callables.typedMethods.get(`${recv.type}.${name}`);
      if (typed) return typed;
    }
    return callables.methods.get(name);
  });
}

/**
 * True when `operand`, used in a function piece that declares one function, may name a value the
 * function was handed (see `boundIn`): for a goroutine's entry any name of its signature (receiver,
 * parameters), for a method reached from one only its receiver; any name when the piece's layout
 * is not plain enough to tell.
 */
function boundInPiece(s: string, piece: Piece, operand: string, entry: boolean): boolean {
  if (!entry) return !piece.receiver || operand === piece.receiver.name;
  if (!piece.signed) signatureOf(s, piece);
  return !piece.signature || piece.signature.has(operand);
}

/**
 * True when `s[from, to)` (function bodies) may declare `name` (`name :=`, `var`/`const`, a
 * literal's parameter), so that a use of it need not be what the package declares by that name.
 * Errs towards true.
 */
function redeclares(s: string, from: number, to: number, name: string): boolean {
  // A line of a `var (` block inside a function (indented; one at column 0 declares package names).
  const lineOfBlock = new RegExp(`\\n[ \\t]*${name}(?![\\p{L}\\p{N}_])`, 'u');
  for (const m of s.slice(from, to).matchAll(/\n[ \t]+(?:var|const)[ \t]*\(/g)) {
    const open = from + m.index! + m[0].length - 1;
    if (lineOfBlock.test(s.slice(open, listEnd(s, open)))) return true;
  }
  for (let i = s.indexOf(name, from); i !== -1 && i < to; i = s.indexOf(name, i + name.length)) {
    const after = i + name.length;
    if ((i > 0 && (isIdentChar(s, i - 1) || s[i - 1] === '.')) || isIdentChar(s, after)) continue;
    const lineStart = s.lastIndexOf('\n', i) + 1;
    let lineEnd = s.indexOf('\n', after);
    if (lineEnd === -1) lineEnd = s.length;
    const semicolon = s.indexOf(';', after);
    if (s.slice(after, semicolon !== -1 && semicolon < lineEnd ? semicolon : lineEnd).includes(':=')) return true;
    const before = s.slice(lineStart, i);
    if (/\b(?:var|const)\b/.test(before)) return true;
    const fn = before.lastIndexOf('func');
    if (fn > 0 && !before.includes('{', fn)) return true; // at column 0, a declaration's own name
  }
  return false;
}

/** True when a method piece's body may declare its receiver's name again. */
function receiverRedeclared(s: string, piece: Piece, name: string): boolean {
  const body = s.indexOf('{', piece.start) + 1;
  return body === 0 || body >= piece.end || redeclares(s, body, piece.end, name);
}

/**
 * `start` and the pieces reached from it, transitively: `targets` says which pieces an identifier
 * of a span may run (undefined: none).
 */
function reachFrom(sources: readonly string[], start: Span[], targets: (span: Span, name: string, selected: boolean, dot: number) => Piece[] | undefined): Span[] {
  const spans = [...start];
  const reached = new Set<Span>(start);
  const queue: Span[] = [...start];
  while (queue.length > 0) {
    const span = queue.pop()!;
    eachIdentifier(sources[span.file], span.start, span.end, (name, selected, dot) => {
      for (const p of targets(span, name, selected, dot) ?? []) {
        if (reached.has(p)) continue;
        reached.add(p);
        spans.push(p);
        queue.push(p);
      }
    });
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
  const add = (s: string, at: number, literalAfter = true): void => {
    const name = nameBefore(s, at, literalAfter);
    if (name) names.add(name);
  };
  for (const s of decls) {
    for (let i = s.indexOf('map['); i !== -1; i = s.indexOf('map[', i + 4)) add(s, i);
    for (const t of typeNames) {
      for (let i = s.indexOf(t); i !== -1; i = s.indexOf(t, i + t.length)) {
        if ((i === 0 || !isIdentChar(s, i - 1)) && !isIdentChar(s, i + t.length)) add(s, i, /^[ \t]*\{/.test(s.slice(i + t.length, i + t.length + 8)));
      }
    }
  }
  for (const k of GO_KEYWORDS) names.delete(k);
  names.delete('_'); // the blank identifier names no variable, and a `_` field cannot be used
  return names;
}

/**
 * The name declared by the type at `i` (`map[…` or a named map type): `name map[…`,
 * `name = map[…`, `name = T{…`, `name = make(T…` (a parenthesis may follow the `=`; with
 * `literalAfter` false, no `{` follows the type), read backwards without a regular expression.
 */
function nameBefore(s: string, i: number, literalAfter = true): string | undefined {
  let j = i;
  const back = (newlines: boolean): void => {
    while (j > 0 && (s[j - 1] === ' ' || s[j - 1] === '\t' || (newlines && s[j - 1] === '\n'))) j--;
  };
  back(false);
  let made = false;
  if (s.endsWith('make(', j)) {
    made = true;
    j -= 5;
    back(true);
  }
  if (s[j - 1] === '(') {
    j--;
    back(true);
  }
  if (s[j - 1] === '=' && !'=!<>:'.includes(s[j - 2] ?? '')) {
    // `name = T(x)` converts a value; only `name = T{…}` or `name = make(T…` declares a map.
    if (!made && !literalAfter) return undefined;
    j--;
    back(false);
  } else if (j === i) {
    return undefined; // `xT` is one identifier, and a name and its type are apart
  }
  const end = j;
  while (j > 0 && isIdentChar(s, j - 1)) j--;
  return j < end && !/\p{N}/u.test(s[j]) ? s.slice(j, end) : undefined;
}

/**
 * Candidate map names: variables of package-level `var` declarations, and fields (and named
 * types, aliases too) of package-level `type` declarations, declared with a map type or a named
 * map type. `anonymous`: fields inside the braces of a `var` declaration (of an anonymous struct
 * variable, or locals of a function literal), shared like package variables.
 */
function candidateNames(sources: readonly string[], pieces: Piece[]): { vars: Set<string>; fields: Set<string>; anonymous: Set<string> } {
  const types = declarationTexts(sources, pieces, 'type');
  const typeNames = new Set<string>();
  for (const s of types) for (const m of outsideBraces(s).matchAll(MAP_TYPE)) typeNames.add(m[1]);
  for (const k of GO_KEYWORDS) typeNames.delete(k);
  const fields = mapNames(types, typeNames);
  const varDecls = declarationTexts(sources, pieces, 'var');
  const vars = mapNames(varDecls.map(outsideBraces), typeNames);
  const anonymous = mapNames(varDecls, typeNames);
  for (const name of vars) anonymous.delete(name);
  for (const name of anonymous) fields.add(name);
  return { vars, fields, anonymous };
}

/**
 * The text outside `{…}`, the pieces joined by `{}`: in a `var` declaration, names inside braces
 * are fields of an anonymous struct or locals of a function literal, not package variables.
 */
function outsideBraces(s: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let i = s.indexOf('{'); i !== -1; i = s.indexOf('{', from)) {
    const close = listEnd(s, i);
    parts.push(s.slice(from, i));
    from = close;
  }
  parts.push(s.slice(from));
  return parts.join('{}');
}

/**
 * True when a plain `name` at `at` inside a function body is not the package variable: the
 * signature declares it, or the body's top block (one tab in, gofmt's layout) declares it before
 * `at` with `:=` or `var`, which hides it until the function ends.
 */
function hiddenLocally(s: string, piece: Piece | undefined, name: string, at: number): boolean {
  if (piece && !piece.signed) signatureOf(s, piece);
  if (!piece?.signature || piece.bodyStart === undefined || at < piece.bodyStart) return false;
  if (piece.signature.has(name)) return true;
  for (const m of s.slice(piece.bodyStart, at).matchAll(TOP_LOCAL)) {
    if ((m[1] || m[3]) && m[2].split(',').some((n) => n.trim() === name)) return true;
  }
  return false;
}

/**
 * Occurrences of `names` (group 1): plain identifiers for variables, selectors `.name` for fields.
 * The selector's dot is matched, not looked behind for: blanked comments leave long runs of space
 * that a look-behind would scan again at every position.
 */
function occurrences(names: ReadonlySet<string>, selector: boolean): RegExp | undefined {
  if (names.size === 0) return undefined;
  const before = selector ? '\\.\\s*' : '(?<![\\p{L}\\p{N}_.])';
  return new RegExp(`${before}(${[...names].join('|')})${NOT_ID_AFTER}`, 'gu');
}

/**
 * True when the occurrence of a name at [at, end) may be written: followed on its line (or inside
 * brackets opened there) by an assignment operator, `++` or `--`, or inside `delete(`/`clear(`.
 */
function writtenAt(s: string, at: number, end: number): boolean {
  // `m += 1`, `m |= 1`, `m++`: a map itself is never the operand of these.
  if (COMPOUND_AFTER.test(s.slice(end, end + 8))) return false;
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

/**
 * True when the use of field `name` at `at` makes the analysis count the field as guarded (see
 * `guardedBy` in guards.ts): it lies in a lock region, or in a function whose name says it runs
 * locked. Only a lower-case name is sure to be a field of the package here: `pkg.Name` may be a
 * type or a function of another package, and `x.name` of another package cannot be written.
 */
function guardedFieldUse(s: string, piece: Piece | undefined, name: string, at: number, regions: [number, number][]): boolean {
  if (!/^[a-z_]/.test(name)) return false;
  return underLock(s, piece, at, regions);
}

/** True when `at` lies in a lock region, or in a function whose name says it runs locked. */
function underLock(s: string, piece: Piece | undefined, at: number, regions: [number, number][]): boolean {
  if (piece?.funcs === 1 && s.startsWith('func', piece.start) && /locked/i.test(piece.name)) return true;
  return regions.some(([from, to]) => from <= at && at < to);
}

/**
 * True when the plain `name` at `at` is a use of the package variable that the analysis counts as
 * guarded (see `guardedBy`): under a lock as for fields, in a function that declares no local or
 * parameter of that name anywhere (so the name can only be the package's), and not a key of a
 * composite literal (`T{name: …}`) or a label, which use no variable.
 */
function guardedVarUse(s: string, piece: Piece | undefined, name: string, at: number, regions: [number, number][]): boolean {
  if (!piece || !underLock(s, piece, at, regions)) return false;
  if (!piece.signed) signatureOf(s, piece);
  if (!piece.signature || piece.bodyStart === undefined || at < piece.bodyStart || piece.signature.has(name)) return false;
  if (/^[ \t]*:(?!=)/.test(s.slice(at + name.length, at + name.length + 4))) return false;
  if (/(?<![\p{L}\p{N}_])(?:goto|break|continue)[ \t]+$/u.test(s.slice(Math.max(0, at - 10), at))) return false;
  return !redeclares(s, piece.bodyStart, piece.end, name);
}

/** A function passed by name to `sync.Once`'s `Do` or to `sync.OnceFunc` and its kin (group 1). */
const ONCE_CALL = new RegExp(`\\.(?:Do|OnceFunc|OnceValues?)[ \\t]*\\([ \\t]*(${ID})[ \\t]*\\)`, 'gu');

/**
 * Package functions run through `sync.Once` (see `onceTarget` in spawns.ts): the names passed by
 * name to `x.Do(…)`, less any name that may also be declared locally, where the call could pass
 * that local instead.
 */
function onceNames(sources: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const s of sources) for (const m of s.matchAll(ONCE_CALL)) out.add(m[1]);
  for (const name of out) {
    if (sources.some((s) => redeclares(s, 0, s.length, name))) out.delete(name);
  }
  return out;
}

/**
 * True when a write at `at` runs as initialisation for the analysis (see `initialising` in
 * analyse.ts): directly in the body of `func init()` or of a function passed to `sync.Once`, not
 * in a function literal there (a literal may be started as a goroutine).
 */
function initialisingAt(s: string, piece: Piece | undefined, at: number, once: ReadonlySet<string>): boolean {
  if (!piece || piece.funcs !== 1 || piece.receiver || !s.startsWith('func', piece.start)) return false;
  if (piece.name !== 'init' && !once.has(piece.name)) return false;
  return !/(?<![\p{L}\p{N}_])func(?![\p{L}\p{N}_])/u.test(s.slice(piece.start + 4, at));
}

/** An arithmetic assignment or increment right after a name. */
const COMPOUND_AFTER = /^[ \t]*(?:\+\+|--|(?:<<|>>|&\^|[-+*/%&|^])=)/;

/** A write of a candidate map inside code that may run in a goroutine: why the gate said yes. */
export interface GateWitness {
  file: number;
  /** Offset of the written name in its source. */
  write: number;
  /** The goroutine span holding it. */
  span: { start: number; end: number };
}

/** Cheap tests first: no `map[` or no text that can start a goroutine means no finding. */
function mayHaveWitness(texts: readonly string[]): boolean {
  return texts.some((s) => s.includes('map[')) && texts.some((s) => SPAWN_HINT.test(s));
}


/**
 * The first write to a candidate map that may run in a goroutine, in sources whose comments and
 * literals are blanked, or undefined when there is none (then map-rwmutex has nothing to report).
 */
function witnessIn(sources: readonly string[], tests?: readonly boolean[], entered?: ReadonlySet<string>): GateWitness | undefined {
  const pieces = cutPieces(sources);
  const callables = indexCallables(sources, pieces);
  const { vars, fields, anonymous } = candidateNames(sources, pieces);
  const patterns = [occurrences(vars, false), occurrences(fields, true)];
  const writes: (Span & { field: boolean; name: string })[] = [];
  // Names used under a lock somewhere, which the analysis counts as guarded: variables, fields.
  const guarded = [new Set<string>(), new Set<string>()];
  const guardedUse = [guardedVarUse, guardedFieldUse];
  sources.forEach((s, file) => {
    let regions: [number, number][] | undefined;
    patterns.forEach((pattern, selected) => {
      for (const m of pattern ? s.matchAll(pattern) : []) {
        const end = m.index! + m[0].length;
        const at = end - m[1].length;
        if (!guarded[selected].has(m[1]) && guardedUse[selected](s, pieceAt(pieces, file, at), m[1], at, (regions ??= plainLockRegions(s)))) guarded[selected].add(m[1]);
        if (!writtenAt(s, at, end)) continue;
        if (!selected && hiddenLocally(s, pieceAt(pieces, file, at), m[1], at)) continue;
        writes.push({ file, start: at, end, field: selected === 1, name: m[1] });
      }
    });
  });
  if (writes.length === 0) return undefined;
  const once = onceNames(sources);
  const live = writes.filter((w) => !initialisingAt(sources[w.file], pieceAt(pieces, w.file, w.start), w.start, once));
  if (live.length === 0) return undefined;
  // With `entered`, the functions and methods other packages' goroutines call are the only
  // entries (see `mayNeedLockEntered`), on their receivers and parameters as a gRPC service's methods.
  const spawns = entered ? { spans: [] as Span[], entries: new Set<Piece>() } : goroutineSpans(sources, pieces, callables, tests);
  for (const map of entered ? [callables.funcs, callables.methods] : []) {
    for (const [name, list] of map) {
      if (!entered!.has(name)) continue;
      for (const p of list) {
        if (tests?.[p.file]) continue;
        spawns.entries.add(p);
        spawns.spans.push({ file: p.file, start: p.start, end: p.end });
      }
    }
  }
  // A package variable is shared wherever a goroutine reaches; a field only on values it was handed.
  const reach = { vars: undefined as Span[] | undefined, fields: undefined as Span[] | undefined };
  for (const w of live) {
    if (guarded[w.field ? 1 : 0].has(w.name)) continue;
    const shared = !w.field || anonymous.has(w.name);
    const spans = shared ? (reach.vars ??= reachedSpans(sources, callables, spawns)) : (reach.fields ??= instanceSpans(sources, callables, spawns));
    const span = spans.find((sp) => sp.file === w.file && sp.start <= w.start && w.start < sp.end);
    if (span) return { file: w.file, write: w.start, span: { start: span.start, end: span.end } };
  }
  return undefined;
}

/** A call of `Lock` or `RLock` without arguments: where the analysis's held regions start. */
const LOCK_CALL = /\.R?Lock\(\)/;

/**
 * True when a candidate map may be used under an existing mutex (see `lockEvidence` in
 * guards.ts), where the analysis reports the uses without it even if no goroutine starts: a mutex
 * of package `sync` is declared, and a file that takes a lock names a candidate. A use under a
 * lock is in the same function as the lock call, so in the same file.
 */
function evidenceIn(sources: readonly string[]): boolean {
  if (!sources.some((s) => /sync\.(?:RW)?Mutex(?![\p{L}\p{N}_])/u.test(s))) return false;
  const { vars, fields } = candidateNames(sources, cutPieces(sources));
  const patterns = [occurrences(vars, false), occurrences(fields, true)];
  return sources.some((s) => LOCK_CALL.test(s) && patterns.some((p) => p !== undefined && (p.lastIndex = 0, p.test(s))));
}

/**
 * True when map-rwmutex may report something in a package with these sources; false only when no
 * write to any candidate map can run in a goroutine. With the files' names, each group of files
 * that one operating system's builds can compile together (see src/buildtags.ts) is searched on
 * its own, so a map of `x_js.go` and a goroutine of `y_plan9.go` do not meet.
 */
export function mayNeedLock(texts: readonly string[], names?: readonly string[]): boolean {
  const locks = texts.some((s) => s.includes('map[')) && texts.some((s) => LOCK_CALL.test(s));
  if (!locks && !mayHaveWitness(texts)) return false;
  // Search code only: names, writes and calls in comments and strings are not there.
  const code = texts.map(blankLiterals);
  if (locks && evidenceIn(code)) return true;
  const tests = names?.map((n) => n.endsWith('_test.go'));
  if (!mayHaveWitness(texts) || !witnessIn(code, tests)) return false;
  if (!names) return true;
  const groups = buildGroups(names.map((name, i) => ({ name, source: texts[i] })));
  if (groups.length === 1 && groups[0].length === texts.length) return true;
  return groups.some((group) => witnessIn(group.map((i) => code[i]), group.map((i) => tests![i])) !== undefined);
}

/**
 * True when a write to a candidate map may run in code that goroutines of other packages enter by
 * calling `entered` (exported function and method names, see module-entries.ts), the package's own
 * goroutines left out: whether those goroutines can matter at all. Build groups are not split
 * (errs towards "maybe").
 */
export function mayNeedLockEntered(texts: readonly string[], names: readonly string[] | undefined, entered: ReadonlySet<string>): boolean {
  if (entered.size === 0 || !texts.some((s) => s.includes('map['))) return false;
  return witnessIn(texts.map(blankLiterals), names?.map((n) => n.endsWith('_test.go')), entered) !== undefined;
}

/**
 * The names of `entered` (as for `mayNeedLockEntered`) from which, taken alone as the only entry,
 * an unguarded write to a candidate map is reached: only an importer calling one of them matters.
 */
export function enteredWriters(texts: readonly string[], names: readonly string[] | undefined, entered: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  if (entered.size === 0 || !texts.some((s) => s.includes('map['))) return out;
  const sources = texts.map(blankLiterals);
  const tests = names?.map((n) => n.endsWith('_test.go'));
  const pieces = cutPieces(sources);
  const callables = indexCallables(sources, pieces);
  const { vars, fields, anonymous } = candidateNames(sources, pieces);
  const patterns = [occurrences(vars, false), occurrences(fields, true)];
  const writes: (Span & { field: boolean; name: string })[] = [];
  const guarded = [new Set<string>(), new Set<string>()];
  const guardedUse = [guardedVarUse, guardedFieldUse];
  sources.forEach((s, file) => {
    let regions: [number, number][] | undefined;
    patterns.forEach((pattern, selected) => {
      for (const m of pattern ? s.matchAll(pattern) : []) {
        const end = m.index! + m[0].length;
        const at = end - m[1].length;
        if (!guarded[selected].has(m[1]) && guardedUse[selected](s, pieceAt(pieces, file, at), m[1], at, (regions ??= plainLockRegions(s)))) guarded[selected].add(m[1]);
        if (!writtenAt(s, at, end)) continue;
        if (!selected && hiddenLocally(s, pieceAt(pieces, file, at), m[1], at)) continue;
        writes.push({ file, start: at, end, field: selected === 1, name: m[1] });
      }
    });
  });
  const once = onceNames(sources);
  const live = writes.filter((w) => !guarded[w.field ? 1 : 0].has(w.name) && !initialisingAt(sources[w.file], pieceAt(pieces, w.file, w.start), w.start, once));
  if (live.length === 0) return out;
  for (const map of [callables.funcs, callables.methods]) {
    for (const [name, list] of map) {
      if (!entered.has(name) || out.has(name)) continue;
      const own = list.filter((p) => !tests?.[p.file]);
      if (own.length === 0) continue;
      const spawns = { spans: own.map((p) => ({ file: p.file, start: p.start, end: p.end })), entries: new Set<Piece>(own) };
      const reach = { vars: undefined as Span[] | undefined, fields: undefined as Span[] | undefined };
      for (const w of live) {
        const shared = !w.field || anonymous.has(w.name);
        const spans = shared ? (reach.vars ??= reachedSpans(sources, callables, spawns)) : (reach.fields ??= instanceSpans(sources, callables, spawns));
        if (spans.some((sp) => sp.file === w.file && sp.start <= w.start && w.start < sp.end)) {
          out.add(name);
          break;
        }
      }
    }
  }
  return out;
}
