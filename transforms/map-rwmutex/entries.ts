/**
 * Concurrency entry points that are no `go` statement: types registered with a gRPC server
 * (`RegisterFooServer(s, impl)`: every exported method of impl's type runs on the server's
 * goroutines, many at once), and calls that reach an implementation through an interface
 * (`s.store.RecordWin(name)` with `store` an interface field). Both need types, so they ask the
 * shared Go model (src/go), whose mirrored trees the whole analysis reads.
 */
import type { Model } from '../../src/go/model.js';
import { calleesOfValue, deref, namedOf, typeString, underlying } from '../../src/go/index.js';
import type { GoFile, Node } from './tree.js';
import { modelOf as treeModelOf } from './tree.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { callArgs, calleeName, descendants, innerExpr, isExported } from './syntax.js';

/** The shared model of the package: the pass's, over whose mirrored trees the analysis runs. */
export function modelOf(index: PackageIndex): Model {
  return treeModelOf(index.pkg.files[0].root);
}

/** The Func of a declaration or literal node of this package, or undefined for another package's. */
function funcOfNode(index: PackageIndex, node: Node | undefined): Func | undefined {
  if (!node) return undefined;
  const file = index.pkg.files.find((f) => f.root.tree === node.tree);
  return file ? funcOf(index, file, node) : undefined;
}

/**
 * What a method value or call `x.m` may run when the package's names alone cannot tell: the
 * method of `x`'s type, or through an interface every implementation among the package's types.
 * Empty when the model cannot tell either.
 */
export function typedTargets(index: PackageIndex, selector: Node): Func[] {
  let memo = typedMemo.get(index);
  if (!memo) {
    memo = new Map();
    typedMemo.set(index, memo);
  }
  let out = memo.get(selector.id);
  if (!out) {
    out = resolveTyped(index, selector);
    memo.set(selector.id, out);
  }
  return out;
}

/** Memo of `typedTargets` by selector node; calls on interfaces by interface and method name. */
const typedMemo = new WeakMap<PackageIndex, Map<number, Func[]>>();
const ifaceMemo = new WeakMap<PackageIndex, Map<string, Func[]>>();

function resolveTyped(index: PackageIndex, selector: Node): Func[] {
  if (index.pkg.files.some((f) => f.hasError)) return [];
  const model = modelOf(index);
  const op = selector.childForFieldName('operand');
  const name = selector.childForFieldName('field')?.text ?? '';
  // An interface method: every implementation in the package, found once per interface and name.
  let key: string | undefined;
  try {
    const t = op ? model.typeOf(op) : undefined;
    if (t && underlying(t).kind === 'interface') key = `${typeString(t)}.${name}`;
  } catch {
    return [];
  }
  let byIface = ifaceMemo.get(index);
  if (!byIface) {
    byIface = new Map();
    ifaceMemo.set(index, byIface);
  }
  if (key && byIface.has(key)) return byIface.get(key)!;
  const out = calleeFuncs(index, selector);
  if (key) byIface.set(key, out);
  return out;
}

function calleeFuncs(index: PackageIndex, selector: Node): Func[] {
  let callees;
  try {
    callees = calleesOfValue(modelOf(index), selector);
  } catch {
    return [];
  }
  const out: Func[] = [];
  for (const c of callees) {
    if ((c.kind !== 'method' && c.kind !== 'interface') || c.model !== modelOf(index)) continue;
    const f = funcOfNode(index, c.decl);
    if (f && !out.includes(f)) out.push(f);
  }
  return out;
}

/** `RegisterFooServer(s, impl)` (generated gRPC code) and `s.RegisterService(desc, impl)`. */
export const REGISTER = /^Register\p{L}*Server$/u;

/** Text that may hold such a registration: files without it are not walked (nor packages gated in). */
export const REGISTRATIONS = /Register\p{L}*Serv(?:er|ice)\s*\(/u;

/**
 * Methods of the package's types registered as gRPC services: every exported method of the
 * type of the last argument of `Register…Server(s, impl)` or `RegisterService(desc, impl)`.
 */
export function registeredServices(index: PackageIndex, file: GoFile): { call: Node; arg: Node; methods: Func[] }[] {
  const out: { call: Node; arg: Node; methods: Func[] }[] = [];
  if (!REGISTRATIONS.test(file.source)) return out;
  for (const call of descendants(file.root, 'call_expression')) {
    const name = calleeName(call);
    if (!REGISTER.test(name) && name !== 'RegisterService') continue;
    const args = callArgs(call);
    if (args.length < 2) continue;
    const arg = innerExpr(args[args.length - 1])!;
    const type = implType(index, arg);
    if (!type) continue;
    const methods = index.decls.filter((f) => f.isMethod && f.recvType === type && isExported(f.name));
    if (methods.length > 0) out.push({ call, arg, methods });
  }
  return out;
}

/** The name of the package type a value has (`&T{}`, `T{}`, `new(T)`, or by the model), or undefined. */
function implType(index: PackageIndex, arg: Node): string | undefined {
  let e: Node | null = arg;
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') e = innerExpr(e.childForFieldName('operand'));
  if (e?.type === 'composite_literal') {
    const t = e.childForFieldName('type');
    if (t?.type === 'type_identifier') return t.text;
  }
  if (index.pkg.files.some((f) => f.hasError)) return undefined;
  try {
    const n = namedOf(deref(modelOf(index).typeOf(arg)));
    const path = modelOf(index).path;
    if (n && (n.pkg === '' || n.pkg === path)) return n.name;
  } catch {
    return undefined;
  }
  return undefined;
}

/** client_golang's import path: a collector registered with its registry is called per scrape. */
export const PROMETHEUS = 'github.com/prometheus/client_golang/prometheus';

/** Text that may register a collector: `prometheus.MustRegister(c)`, `reg.Register(c)`. */
const COLLECTOR_REGISTRATIONS = /\b(?:Must)?Register\s*\(/;

/** True when a file's text may register a Prometheus collector: it names client_golang and a registration. */
export function mayRegisterCollector(text: string): boolean {
  return text.includes(PROMETHEUS) && COLLECTOR_REGISTRATIONS.test(text);
}

/**
 * The `Collect` methods of the package's types registered with a client_golang registry
 * (`prometheus.MustRegister(c)`, `reg.Register(c)` in a file importing client_golang): the
 * registry calls them once per scrape, and scrapes run at the same time.
 */
export function registeredCollectors(index: PackageIndex, file: GoFile): Func[] {
  const imports = index.importPaths.get(file.path);
  if (!COLLECTOR_REGISTRATIONS.test(file.source) || ![...(imports?.values() ?? [])].includes(PROMETHEUS)) return [];
  const out: Func[] = [];
  for (const call of descendants(file.root, 'call_expression')) {
    const name = calleeName(call);
    if (name !== 'MustRegister' && name !== 'Register') continue;
    for (const arg of callArgs(call)) {
      const type = implType(index, innerExpr(arg)!);
      const collect = type && index.decls.find((f) => f.isMethod && f.recvType === type && f.name === 'Collect');
      if (collect && !out.includes(collect)) out.push(collect);
    }
  }
  return out;
}
