/**
 * What must not run under the lock. A region's statements, and every package function they call,
 * are scanned for calls of functions that take the same lock (a deadlock: Go's mutexes are not
 * re-entrant and RLock must not be taken twice), blocking operations (channel sends and receives,
 * select, Wait, Sleep, other locks), calls of function values gomend cannot follow, and calls into
 * other packages that could call back into a locking exported method.
 */
import type { GoFile, Node } from './tree.js';
import type { AccessPlan } from './accesses.js';
import { PROMETHEUS } from './entries.js';
import type { Goroutines } from './goroutines.js';
import { funcOf, valueTargets } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { declaredLocally } from './resolve.js';
import { calleeName, descendants, FUNCTION_TYPE_LIST, innerExpr, isExported, lineOf, namedKids, outerExpr } from './syntax.js';

/** What running a piece of code under the lock would risk, or undefined when nothing. */
export interface Risk {
  node: Node;
  file: GoFile;
  /** A noun phrase: "a channel send", "a call of Price". */
  what: string;
  /** Why it matters, when the noun does not say it. */
  why?: string;
  /** The risk at the end of a call chain. */
  leaf?: Risk;
  /** The chain was cut for depth: no risk was seen, none was ruled out. */
  cut?: boolean;
}

/** Predeclared types: `string(b)`, `int64(n)` convert, they call nothing. */
const PREDECLARED_TYPES = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64', 'rune', 'string',
  'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any', 'comparable',
]);

/** True when a callee expression is a type, so the "call" is a conversion. */
function isConversion(index: PackageIndex, fn: Node | null): boolean {
  if (!fn) return false;
  if (/_type$/.test(fn.type) && fn.type !== 'type_identifier') return true; // []byte, map[K]V, *T, func(), chan T
  if (fn.type === 'identifier') return PREDECLARED_TYPES.has(fn.text) && !declaredLocally(fn) && !index.topNames.has(fn.text);
  if (fn.type === 'unary_expression' && fn.childForFieldName('operator')?.text === '*') {
    const t = innerExpr(fn.childForFieldName('operand'));
    if (t?.type === 'identifier') return (PREDECLARED_TYPES.has(t.text) || index.topNames.has(t.text)) && !index.funcs.has(t.text) && !declaredLocally(t);
    return t?.type === 'selector_expression' || (t ? /_type$/.test(t.type) : false);
  }
  return false;
}

const BLOCKING_CALLS = /^(Wait|Sleep|Lock|RLock|lock|rlock|Acquire|Do)$/;

/** Packages whose functions call no method of their arguments and no callback but literal ones. */
const PURE_PACKAGES = new Set(['strings', 'strconv', 'bytes', 'unicode', 'unicode/utf8', 'unicode/utf16', 'math', 'math/bits', 'slices', 'maps', 'time', 'sync/atomic', 'path']);

const FMT = ['String', 'Error', 'Format', 'GoString'];

/** Functions that call only these methods of their arguments (through interfaces). */
const CALLS_BACK: Record<string, Record<string, string[]>> = {
  fmt: { Sprint: FMT, Sprintf: FMT, Sprintln: FMT, Errorf: [...FMT, 'Unwrap'], Append: FMT, Appendf: FMT, Appendln: FMT },
  errors: { New: [], Is: ['Is', 'Unwrap', 'Error'], As: ['As', 'Unwrap'], Join: [], Unwrap: ['Unwrap'] },
  sort: { Strings: [], Ints: [], Float64s: [], SearchInts: [], SearchStrings: [], SearchFloat64s: [], StringsAreSorted: [], IntsAreSorted: [] },
};

/**
 * client_golang's metrics: their methods record a value or pick a child metric and call nothing
 * of the caller's, so exporters' maps can be locked around `requests.WithLabelValues(k).Inc()`.
 */
const QUIET_METRIC_TYPES = new Set(['Counter', 'CounterVec', 'Gauge', 'GaugeVec', 'Histogram', 'HistogramVec', 'Summary', 'SummaryVec', 'Observer', 'ObserverVec']);
const QUIET_METRIC_METHODS = new Set(['Inc', 'Dec', 'Add', 'Sub', 'Set', 'SetToCurrentTime', 'Observe', 'WithLabelValues', 'With', 'Delete', 'DeleteLabelValues', 'DeletePartialMatch', 'Reset', 'GetMetricWith', 'GetMetricWithLabelValues', 'CurryWith', 'MustCurryWith']);
/** Constructors of those metrics, in client_golang's prometheus and promauto packages. */
const METRIC_CONSTRUCTOR = /^([\p{L}_][\p{L}\p{N}_]*)\.New(?:Counter|Gauge|Histogram|Summary)(?:Vec)?\s*\(/u;

/**
 * True for a call of one of those methods on a client_golang metric (the operand's type says so,
 * or, when the library is not loaded, the variable is set from one of its constructors: `var
 * requests = prometheus.NewCounterVec(…)`), and for a method of reflect's Type or Value but Call.
 */
function quietMetricCall(index: PackageIndex, file: GoFile, operand: Node, method: string): boolean {
  let t = index.model.typeOf(operand);
  while (t.kind === 'pointer') t = t.elem;
  // reflect's Type and Value read types and values; only Call and CallSlice run code.
  if (t.kind === 'named' && t.pkg === 'reflect') return (t.name === 'Type' || t.name === 'Value') && method !== 'Call' && method !== 'CallSlice';
  if (!QUIET_METRIC_METHODS.has(method)) return false;
  if (t.kind === 'named') return t.pkg === PROMETHEUS && QUIET_METRIC_TYPES.has(t.name);
  const o = operand.type === 'identifier' ? index.model.objectOf(operand) : undefined;
  const spec = o?.kind === 'var' && o.pkgLevel ? o.decl : undefined;
  const values = spec?.type === 'var_spec' ? spec.childForFieldName('value') : undefined;
  const value = values ? namedKids(values)[o!.index ?? 0] : undefined;
  const m = value && METRIC_CONSTRUCTOR.exec(value.text);
  const declFile = spec && index.model.fileOf(spec)?.file.path;
  const path = m && declFile ? index.importPaths.get(declFile)?.get(m[1]) : undefined;
  return path === PROMETHEUS || path === `${PROMETHEUS}/promauto`;
}

/**
 * Summaries of package functions: may they take the lock, block, or call unknown code? Also
 * whether code outside the package could call back into a function that takes the lock: through
 * an exported method (an interface call) or a function value. Import cycles rule out any other
 * way back, so when neither exists, calls into other packages are safe under the lock.
 */
export class Summaries {
  private memo = new Map<string, Risk | null>();
  /** Functions being summarised (on the current chain), and those of them a summary met again. */
  private busy = new Set<string>();
  private waitingOn = new Set<string>();
  private locks = new Map<string, boolean>();
  private reentrant: { methods: string[]; values: string[] } | undefined;
  constructor(
    private index: PackageIndex,
    private g: Goroutines,
    private plan: AccessPlan,
    private label: string,
  ) {}

  /** The first risk found in `nodes` (statements or expressions of `file`), skipping spawned literals. */
  scan(file: GoFile, nodes: Node[], depth = 0): Risk | undefined {
    for (const n of nodes) {
      for (const d of descendants(n, ['send_statement', 'unary_expression', 'select_statement', 'call_expression', 'func_literal', 'identifier', 'field_identifier'])) {
        if (this.spawnedInside(file, d, n)) continue;
        if (d.type === 'send_statement') return { node: d, file, what: 'a channel send' };
        if (d.type === 'unary_expression' && d.childForFieldName('operator')?.text === '<-') return { node: d, file, what: 'a channel receive' };
        if (d.type === 'select_statement' && !namedKids(d).some((k) => k.type === 'default_case')) return { node: d, file, what: 'a select' };
        if (d.type === 'func_literal' && this.plan.locking.has(funcOf(this.index, file, d).key)) {
          return { node: d, file, what: `a function literal that locks ${this.label} itself` };
        }
        if (d.type === 'identifier' || d.type === 'field_identifier') {
          const r = this.valueRef(file, d);
          if (r) return r;
          continue;
        }
        if (d.type !== 'call_expression') continue;
        const r = this.call(file, d, depth);
        if (r) return r;
      }
    }
    return undefined;
  }

  /** A package function used as a value here that takes the lock: whoever calls it would lock again. */
  private valueRef(file: GoFile, id: Node): Risk | undefined {
    const parent = id.parent;
    if (!parent) return undefined;
    let expr: Node = id;
    let funcs: Func[] = [];
    if (id.type === 'identifier') {
      if (parent.type === 'function_declaration') return undefined;
      funcs = this.index.funcs.get(id.text) ?? [];
      if (funcs.length === 0 || declaredLocally(id)) return undefined;
    } else {
      if (parent.type !== 'selector_expression') return undefined;
      funcs = valueTargets(this.index, file, parent);
      expr = parent;
    }
    const outer = outerExpr(expr);
    if (outer.parent?.type === 'call_expression' && outer.parent.childForFieldName('function')?.equals(outer)) return undefined;
    const f = funcs.find((t) => this.takesLock(t));
    return f ? { node: id, file, what: `a use of ${f.name} as a value`, why: `and ${f.name} takes the lock of ${this.label} itself` } : undefined;
  }

  /** True when `d` lies in a literal started as a goroutine inside `root` (it runs elsewhere). */
  private spawnedInside(file: GoFile, d: Node, root: Node): boolean {
    if (d.equals(root)) return false;
    for (let p = d.parent; p && !p.equals(root); p = p.parent) {
      if (p.type === 'func_literal' && this.g.spawned.has(funcOf(this.index, file, p).key)) return true;
    }
    return false;
  }

  private call(file: GoFile, call: Node, depth: number): Risk | undefined {
    const name = calleeName(call);
    const sites = this.g.callsIn.get(funcOf(this.index, file, innermost(call)).key) ?? [];
    const site = sites.find((s) => s.call.equals(call));
    if (name === 'panic' && innerExpr(call.childForFieldName('function'))?.type === 'identifier') return undefined;
    if (!site || outerExpr(call).parent?.type === 'go_statement') return undefined; // runs in its own goroutine
    const fnExpr = innerExpr(call.childForFieldName('function'));
    const text = fnExpr?.text ?? '';
    if (isConversion(this.index, fnExpr)) return undefined; // `string(b)`, `[]byte(s)`, `(*T)(p)`: no call at all
    if (site.unknown) return { node: call, file, what: `a call of the function value ${text}`, why: 'which may do anything' };
    if (site.targets.length === 0) {
      if (BLOCKING_CALLS.test(name)) return { node: call, file, what: `a call of ${name}`, why: 'which may block' };
      if (site.external) {
        const back = this.callsBack(file, call);
        if (back) return { node: call, file, what: `a call of ${text}`, why: `which may call back into ${back}, which takes the lock of ${this.label} itself` };
      }
      return undefined;
    }
    for (const t of site.targets) {
      if (t.node.type === 'func_literal') continue;
      if (this.plan.locking.has(t.key)) return { node: call, file, what: `a call of ${t.name}`, why: `which takes the lock of ${this.label} itself` };
      const inner = this.summary(t, depth + 1);
      if (inner) {
        const leaf = inner.leaf ?? inner;
        return { node: call, file, what: `a call of ${t.name}`, why: `which leads to ${riskAt(leaf)}`, leaf };
      }
    }
    return undefined;
  }

  /**
   * The locking function an external call may call back into, or undefined. Outside code can only
   * reach an exported method through an interface (by its name) or a function used as a value.
   */
  private callsBack(file: GoFile, call: Node): string | undefined {
    const { methods, values } = this.reentry();
    const names = this.methodsCalled(file, call);
    if (names !== '*' && names.length === 0) return undefined; // calls nothing it is given (strings.HasSuffix)
    if (values.length > 0) return values[0];
    if (methods.length === 0) return undefined;
    const hit = names === '*' ? methods[0] : methods.find((m) => names.includes(m));
    return hit;
  }

  /** The method names an external call may call on what it is given: a list, or '*' for any. */
  private methodsCalled(file: GoFile, call: Node): string[] | '*' {
    const fn = innerExpr(call.childForFieldName('function'));
    if (fn?.type !== 'selector_expression') return '*';
    const q = innerExpr(fn.childForFieldName('operand'));
    if (q?.type === 'call_expression') return this.methodsCalled(file, q) === '*' ? '*' : []; // `time.Now().String()`
    if (q && quietMetricCall(this.index, file, q, fn.childForFieldName('field')?.text ?? '')) return [];
    if (q?.type !== 'identifier') return '*';
    const path = this.index.importPaths.get(file.path)?.get(q.text);
    if (!path) return '*';
    if (PURE_PACKAGES.has(path)) return [];
    // client_golang's functions but the registrations (which call Describe) build values and names; a function they are given runs later, in Collect.
    if (path === PROMETHEUS && !/Register/.test(fn.childForFieldName('field')?.text ?? '')) return [];
    return CALLS_BACK[path]?.[fn.childForFieldName('field')?.text ?? ''] ?? '*';
  }

  /** Exported methods that take the lock (by name), and functions used as values that do. */
  private reentry(): { methods: string[]; values: string[] } {
    if (!this.reentrant) {
      const methods = this.index.decls.filter((f) => f.isMethod && isExported(f.name) && this.takesLock(f)).map((f) => f.name);
      const values = this.index.decls.filter((f) => this.g.funcValues.has(f.key) && this.takesLock(f)).map((f) => f.name);
      this.reentrant = { methods, values };
    }
    return this.reentrant;
  }

  /** True when running `f` may take the lock: it locks, or calls (or holds a literal) that does. */
  takesLock(f: Func): boolean {
    const memo = this.locks.get(f.key);
    if (memo !== undefined) return memo;
    this.locks.set(f.key, false);
    let result = this.plan.locking.has(f.key);
    const body = f.node.childForFieldName('body');
    if (!result && body) {
      for (const lit of descendants(body, 'func_literal')) {
        const key = funcOf(this.index, f.file, lit).key;
        if (this.plan.locking.has(key) && !this.g.spawned.has(key)) result = true;
      }
      for (const call of descendants(body, 'call_expression')) {
        if (result) break;
        if (outerExpr(call).parent?.type === 'go_statement' || this.spawnedInside(f.file, call, body)) continue;
        const site = (this.g.callsIn.get(funcOf(this.index, f.file, innermost(call)).key) ?? []).find((s) => s.call.equals(call));
        if (site?.targets.some((t) => t.node.type !== 'func_literal' && this.takesLock(t))) result = true;
      }
    }
    this.locks.set(f.key, result);
    return result;
  }

  /** The first risk of running function `f` under the lock. */
  summary(f: Func, depth: number): Risk | undefined {
    if (this.busy.has(f.key)) {
      this.waitingOn.add(f.key); // recursion: the other paths decide, and what depends on it is not remembered yet
      return undefined;
    }
    const cached = this.memo.get(f.key);
    if (cached !== undefined) return cached ?? undefined;
    // Cut here: the risk is where the chain is cut, not anything found further down, and it is not
    // remembered, since a shorter path to `f` may follow the whole of it.
    if (depth > 30) return { node: f.node, file: f.file, what: `${f.name || 'a function literal'}, more than 30 calls deep`, why: 'too deep to follow', cut: true };
    this.busy.add(f.key);
    const outer = this.waitingOn;
    this.waitingOn = new Set();
    const body = f.node.childForFieldName('body');
    const r = body ? this.scan(f.file, [body], depth) : undefined;
    this.busy.delete(f.key);
    this.waitingOn.delete(f.key);
    // "No risk" is only known once every function it waited on is done; a risk is a risk.
    if (!(r && (r.leaf ?? r).cut) && (r || this.waitingOn.size === 0)) this.memo.set(f.key, r ?? null);
    for (const k of this.waitingOn) outer.add(k);
    this.waitingOn = outer;
    return r;
  }
}

function innermost(node: Node): Node {
  return node.closest(FUNCTION_TYPE_LIST) ?? node;
}

/** Where in the source a risk is, for messages. */
export function riskAt(r: Risk): string {
  return `${r.what} at ${r.file.path}:${lineOf(r.file.source, r.node.startIndex)}${r.why ? `, ${r.why}` : ''}`;
}
