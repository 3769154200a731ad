/**
 * The package-level analysis behind map-rwmutex: candidates, their uses, who shares them (see
 * concurrency.ts), whether they are guarded already, and the fix or the reason there is none.
 */
import { newModel } from '../../src/go/model.js';
import type { Context as BaseContext, Edit, Finding } from '../../src/types.js';
import { passContext } from './tree.js';
import type { Context } from './tree.js';
import { findCandidates, packageStructs } from './candidates.js';
import type { MapCandidate, StructInfo } from './candidates.js';
import { copiedBy, exportedCopies } from './copies.js';
import { deferredWrite } from './deferred.js';
import { declareField, declareVar, fieldMutexName, groupMutexName } from './declare.js';
import { escapeFindings } from './escape.js';
import { analyseGoroutines } from './goroutines.js';
import { externalOnly, initialising, selfRacing, shared, siteContexts } from './concurrency.js';
import type { Concurrency } from './concurrency.js';
import { lockEvidence } from './evidence.js';
import type { LockEvidence } from './evidence.js';
import { guardedBy, newGuardModel } from './guards.js';
import type { GuardModel } from './guards.js';
import { mutexOf, mutexTakersClosure, upgradeEdits } from './held.js';
import { buildIndex, identsNamed } from './model.js';
import type { PackageIndex } from './model.js';
import { placeLocks } from './placement.js';
import { addModuleEntries } from './module-entries.js';
import { blocking, sitesFor } from './sites.js';
import type { Site } from './sites.js';
import { descendants, lineOf } from './syntax.js';

/** Options for testing the rewrite machinery beyond what the package itself shows. */
export interface AnalyseOptions {
  /** Treat every written candidate as shared (exercises placement on real code). */
  assumeShared?: boolean;
  /** Counts of candidates by outcome, filled in when given. */
  counts?: Record<string, number>;
}

interface Analysis extends Concurrency {
  opts: AnalyseOptions;
  ctx: Context;
  gm: GuardModel;
  /** No goroutine starts in the package: only existing locks can show a map is shared. */
  noGoroutines: boolean;
  /** Memo of `sharedSites`, `guardOf` and `statusOf`: a struct's map fields are examined together and one by one. */
  sharedBy: Map<MapCandidate, boolean>;
  status: Map<MapCandidate, { sites: Site[]; why?: string }>;
  guards: Map<MapCandidate, string | undefined>;
}

/** The analysis state of a package, or undefined when it has no candidate or no goroutine. */
function prepare(ctx: Context, opts: AnalyseOptions): { a: Analysis; candidates: MapCandidate[] } | undefined {
  const index = buildIndex(ctx.pkg, ctx.model);
  const candidates = findCandidates(index, packageStructs(index));
  if (candidates.length === 0) return undefined;
  const g = analyseGoroutines(index, new Set(candidates.map((c) => c.name)));
  addModuleEntries(index, g, candidates);
  const noGoroutines = g.entries.size === 0 && !opts.assumeShared;
  if (noGoroutines && !ctx.pkg.files.some((f) => /\.R?Lock\(\)/.test(f.source))) return undefined;
  return { a: { opts, ctx, index, g, gm: newGuardModel(index), shares: new Map(), noGoroutines, sharedBy: new Map(), status: new Map(), guards: new Map() }, candidates };
}

/** Candidates examined one by one: a `var` declared in several build-tagged files is left out. */
function examined(candidates: MapCandidate[]): MapCandidate[] {
  const varNames = candidates.filter((c) => c.kind === 'var').map((c) => c.name);
  return candidates.filter((c) => c.kind !== 'var' || varNames.filter((n) => n === c.name).length === 1);
}

/** The context of a per-file transform context (tests, scripts): a model of its own for the package. */
export function contextOf(base: BaseContext): Context {
  const model = newModel(base.pkg);
  return passContext({ pkg: base.pkg, model, ensureImport: (f, p) => base.ensureImport(f, p), importName: (f, p) => base.importName(f, p) });
}

/**
 * Findings of every file of the package, by path. `ctx` is made on demand, so that nothing is
 * parsed for a package whose text shows no map type.
 */
export function analysePackage(pkg: { files: { path: string; source: string }[] }, context: () => Context, opts: AnalyseOptions = {}): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  if (!pkg.files.some((f) => f.source.includes('map['))) return out;
  const prepared = prepare(context(), opts);
  if (!prepared) return out;
  const list = examined(prepared.candidates);
  const grouped = new Set<MapCandidate>();
  for (const c of list) {
    if (grouped.has(c)) continue;
    const group = examineGroup(prepared.a, c, list);
    for (const m of group?.members ?? []) grouped.add(m);
    for (const [path, finding] of group?.findings ?? examine(prepared.a, c)) out.set(path, [...(out.get(path) ?? []), finding]);
  }
  return out;
}

/** `a`, `a and b`, `a, b and c`. */
function andList(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The uses of a candidate (`collectSites`), found once per goroutine model (see `sitesFor`). */
function sitesOf(a: Analysis, c: MapCandidate): Site[] {
  return sitesFor(a.index, a.g, c);
}

/** `shared(a, c, sitesOf(a, c))`, answered once per analysis. */
function sharedSites(a: Analysis, c: MapCandidate): boolean {
  let v = a.sharedBy.get(c);
  if (v === undefined) {
    v = shared(a, c, sitesOf(a, c));
    a.sharedBy.set(c, v);
  }
  return v;
}

/** `guardedBy` of a candidate's sites, answered once per analysis. */
function guardOf(a: Analysis, c: MapCandidate): string | undefined {
  if (!a.guards.has(c)) a.guards.set(c, guardedBy(a.index, a.g, a.gm, c, sitesOf(a, c)));
  return a.guards.get(c);
}

/** Whether a candidate would be reported, with its sites, or why not (a fresh record each call: callers annotate it). */
function statusOf(a: Analysis, c: MapCandidate): { sites: Site[]; why?: string } {
  let st = a.status.get(c);
  if (!st) {
    st = computeStatus(a, c);
    a.status.set(c, st);
  }
  return { ...st };
}

function computeStatus(a: Analysis, c: MapCandidate): { sites: Site[]; why?: string } {
  const sites = sitesOf(a, c);
  if (a.opts.assumeShared ? !sites.some((s) => s.kind === 'write' && !initialising(a, s)) : !sharedSites(a, c)) {
    return { sites, why: sites.some((s) => s.kind === 'write' && !initialising(a, s)) ? 'no goroutine writes it while another uses it' : 'it is not written after initialisation' };
  }
  const guard = guardOf(a, c);
  if (guard) return { sites, why: `it is guarded already (${guard})` };
  return { sites };
}

/**
 * The maps of one struct that goroutines write, guarded by one mutex in one fix (`mu
 * sync.RWMutex // guards a and b`), as a reviewer asks for: with a lock per map, code that
 * updates two of them together is not atomic. The finding says why any other map of the struct
 * is left out. Undefined when `c` is not the first of at least two such maps, or one fix cannot
 * guard them all (each is then examined on its own).
 */
function examineGroup(a: Analysis, c: MapCandidate, list: MapCandidate[]): { members: MapCandidate[]; findings: [string, Finding][] } | undefined {
  if (c.kind !== 'field' || !c.struct) return undefined;
  const siblings = list.filter((x) => x.kind === 'field' && x.struct?.name === c.struct!.name);
  if (siblings.length < 2) return undefined;
  const status = new Map(siblings.map((x) => [x, statusOf(a, x)] as const));
  for (const st of status.values()) {
    const problem = st.why ? undefined : st.sites.find(blocking)?.problem;
    if (problem) st.why = `it is reported on its own, not fixed: ${problem}`;
  }
  const members = siblings.filter((x) => !status.get(x)!.why);
  if (members.length < 2 || members[0] !== c) return undefined;
  const fix = buildFix(a, c, members.flatMap((x) => status.get(x)!.sites), members);
  if (typeof fix === 'string') return undefined;
  if (a.opts.counts) a.opts.counts['fixed'] = (a.opts.counts['fixed'] ?? 0) + members.length;
  const st = c.struct.name;
  const labels = andList(members.map((x) => x.name));
  const left = siblings.filter((x) => status.get(x)!.why).map((x) => `; ${st}.${x.name} is left out: ${status.get(x)!.why}`).join('');
  const at = { start: c.nameNode.startIndex, end: c.nameNode.endIndex };
  const findings: [string, Finding][] = [[c.file.path, { ...at, message: `maps ${labels} of ${st} are written and read by several goroutines without a lock${left}`, fix: { message: `Guard ${labels} of ${st} with one sync.RWMutex`, edits: fix } }]];
  for (const m of members) for (const file of a.index.pkg.files) for (const f of escapeFindings(m, status.get(m)!.sites, file)) findings.push([file.path, f]);
  return { members, findings };
}

/**
 * Labels of the candidates that a goroutine writes after initialisation and that nothing shows to
 * be guarded already, found without the text gate: a finding is possible only in a package where
 * this is not empty, so the gate must say yes wherever it is not (the tests and the gate check
 * over real trees compare the two).
 */
export function goroutineWrites(base: BaseContext): string[] {
  const prepared = prepare(contextOf(base), {});
  if (!prepared) return [];
  const { a } = prepared;
  return examined(prepared.candidates)
    .filter((c) => {
      const sites = sitesOf(a, c);
      const ev = lockEvidence(a.index, a.g, a.gm, c, sites);
      if (ev) return !ev.silent;
      if (a.noGoroutines) return false;
      const written = sites.some((s) => s.kind === 'write' && !initialising(a, s) && [...siteContexts(a, c, s)].some((k) => k !== 'main'));
      return written && !guardedBy(a.index, a.g, a.gm, c, sites);
    })
    .map((c) => c.label);
}

/** Findings for one candidate, with the path of the file each belongs to. */
function examine(a: Analysis, c: MapCandidate): [string, Finding][] {
  const { index } = a;
  const count = (k: string): void => {
    if (a.opts.counts) a.opts.counts[k] = (a.opts.counts[k] ?? 0) + 1;
  };
  count('candidates');
  const sites = sitesOf(a, c);
  const ev = lockEvidence(index, a.g, a.gm, c, sites);
  if (ev) return evidenceFindings(a, c, ev, count);
  if (a.noGoroutines) return [];
  if (a.opts.assumeShared ? !sites.some((s) => s.kind === 'write' && !initialising(a, s)) : !sharedSites(a, c)) {
    count('not shared');
    return [];
  }
  const guard = guardOf(a, c);
  if (guard) {
    count(`guarded: ${guard}`);
    return [];
  }
  const out: [string, Finding][] = [];
  const base = `map ${c.label} is written and read by several goroutines without a lock`;
  const fix = buildFix(a, c, sites);
  const at = { start: c.nameNode.startIndex, end: c.nameNode.endIndex };
  if (typeof fix === 'string' && externalOnly(a, c, sites) && !selfRacing(a, c, sites)) {
    // Fix or silence: the sharing is inferred across packages, where the order of phases
    // (a tree built before it is published, batches run one after another) is not seen; without
    // a fix the finding is no hazard gomend is sure of, so it is a note (`--explain`).
    count('refused (other packages only)');
    out.push([c.file.path, { ...at, message: `${base} (only through goroutines of other packages); not fixed: ${fix}`, note: true }]);
    for (const file of index.pkg.files) for (const f of escapeFindings(c, sites, file)) out.push([file.path, { ...f, note: true }]);
    return out;
  }
  count(typeof fix === 'string' ? 'refused' : 'fixed');
  if (typeof fix === 'string') out.push([c.file.path, { ...at, message: `${base}; not fixed: ${fix}` }]);
  else out.push([c.file.path, { ...at, message: base, fix: { message: `Guard ${c.label} with a sync.RWMutex`, edits: fix } }]);
  for (const file of index.pkg.files) for (const f of escapeFindings(c, sites, file)) out.push([file.path, f]);
  return out;
}

/**
 * Findings for a map some of whose uses hold an existing mutex: the uses without it, and writes
 * under its read lock, fixed with that mutex.
 */
function evidenceFindings(a: Analysis, c: MapCandidate, ev: LockEvidence, count: (k: string) => void): [string, Finding][] {
  if (ev.silent) {
    count(`guarded: ${ev.silent}`);
    return [];
  }
  const mu = ev.mutex.field ? `${c.struct!.name}.${ev.mutex.name}` : ev.mutex.name;
  const first = ev.free[0] ?? ev.readWrites[0]?.site;
  const where = (s: Site): string => `${s.file === first?.file ? 'line ' : `${s.file.path}:`}${lineOf(s.file.source, s.expr.startIndex)}`;
  const parts: string[] = [];
  if (ev.free.length > 0) parts.push(`map ${c.label} is used without ${mu} at ${ev.free.map(where).join(', ')}, while its other uses hold it`);
  if (ev.readWrites.length > 0) parts.push(`map ${c.label} is written under ${mu}.RLock at ${ev.readWrites.map((r) => where(r.site)).join(', ')}, where other readers run at the same time`);
  const base = parts.join('; ');
  const at = first ? { start: first.expr.startIndex, end: first.expr.endIndex } : { start: c.nameNode.startIndex, end: c.nameNode.endIndex };
  const file = first?.file.path ?? c.file.path;
  if (!first) return [];
  const fix = ev.problem ?? evidenceFix(a, c, ev);
  count(typeof fix === 'string' ? 'refused (existing lock)' : 'fixed (existing lock)');
  if (typeof fix === 'string') return [[file, { ...at, message: `${base}; not fixed: ${fix}` }]];
  const title = ev.free.length > 0 ? `Guard every use of ${c.label} with ${mu}` : `Take ${mu} for writing where ${c.label} is written`;
  return [[file, { ...at, message: base, fix: { message: title, edits: fix } }]];
}

/** The edits taking the existing mutex where a use lacks it, or the reason there are none. */
function evidenceFix(a: Analysis, c: MapCandidate, ev: LockEvidence): Edit[] | string {
  const { index, g, gm } = a;
  const unread = index.pkg.files.find((f) => f.hasError);
  if (unread) return `${unread.path.split('/').pop()} has code gomend's parser cannot read, so not every access can be seen`;
  const takers = mutexTakersClosure(index, g, gm, ev.mutex);
  const upgrades = upgradeEdits(index, g, gm, ev, takers);
  if (typeof upgrades === 'string') return upgrades;
  const edits: Edit[] = [...upgrades];
  if (ev.free.length > 0) {
    const sites = ev.mutex.rw ? ev.free : ev.free.map((s) => ({ ...s, kind: 'write' as const }));
    const lockOf = (operand?: string): string => mutexOf(ev.mutex, operand);
    const locks = placeLocks(index, g, c, sites, lockOf, takers);
    if (typeof locks === 'string') return locks;
    edits.push(...locks);
  }
  return normalise(edits) ?? 'its edits would overlap';
}

/** The edits of the fix, or the reason there is none. */
function buildFix(a: Analysis, c: MapCandidate, sites: Site[], group?: MapCandidate[]): Edit[] | string {
  const { index, ctx, g } = a;
  if ((group ?? [c]).some((m) => /^\p{Lu}/u.test(m.name))) return 'it is exported, so code outside the package can use it without the lock';
  // Valid Go that tree-sitter cannot read (newer syntax) may hold accesses the lock would miss.
  const unread = index.pkg.files.find((f) => f.hasError);
  if (unread) return `${unread.path.split('/').pop()} has code gomend's parser cannot read, so not every access can be seen`;
  // A test's escaping use of a value it built itself blocks nothing and is left as it is.
  sites = sites.filter((s) => !s.problem || blocking(s));
  const problem = sites.find(blocking);
  if (problem) return problem.problem!;
  if (c.struct) {
    const outside = c.struct.anonymous ? undefined : exportedCopies(index, c.struct);
    if (outside) return outside;
    const copied = c.struct.anonymous ? anonymousCopy(index, c.struct) : copiedBy(index, c.struct);
    if (copied) return `${c.struct.name} is copied by value (${copied}); a mutex in it would fail go vet's copylocks check`;
    const unkeyed = unkeyedLiteral(index, c.struct.name);
    if (unkeyed) return `an unkeyed ${c.struct.name} literal at ${unkeyed} would not compile with a new field`;
  }
  const sync = ctx.importName(c.file, 'sync') ?? 'sync';
  if (index.topNames.has(sync) || (!ctx.importName(c.file, 'sync') && index.imports.get(c.file.path)?.has('sync'))) {
    return `the name sync is taken in ${c.file.path}`;
  }
  const mu = c.kind === 'var' ? `${c.name}Mu` : group ? groupMutexName(index, c) : fieldMutexName(index, c);
  if (!mu || (c.kind === 'var' && (index.topNames.has(mu) || index.pkg.files.some((f) => identsNamed(index, f, mu).length > 0)))) {
    return `the name ${mu ?? `${c.name}Mu`} for its mutex is taken`;
  }
  const holders = lockHolders(sites);
  if (typeof holders === 'string') return holders;
  const lockOf = (operand?: string): string => (c.kind === 'var' ? mu : `${holders.get(operand ?? '') ?? operand}.${mu}`);
  const locks = placeLocks(index, g, c, sites.filter((s) => !s.deferred), lockOf);
  if (typeof locks === 'string') return locks;
  for (const s of sites.filter((x) => x.deferred)) {
    const e = deferredWrite(index, g, c, sites, s, lockOf(s.operand?.text), locks);
    if (typeof e === 'string') return e;
    locks.push(e);
  }
  const decl = c.kind === 'var' ? declareVar(c, mu, sync) : declareField(c, mu, sync, andList((group ?? [c]).map((m) => m.name)));
  if (typeof decl === 'string') return decl;
  const edits: Edit[] = [...locks, ...(Array.isArray(decl) ? decl : [decl]).map((e) => ({ ...e, file: c.file.path }))];
  const imp = ctx.ensureImport(c.file, 'sync');
  if (imp) edits.push({ ...imp, file: c.file.path });
  return normalise(edits) ?? 'its edits would overlap';
}

/**
 * Where the lock of a promoted field is named from each holder: `x.Inner` for `x.m` when `m` is
 * `Inner`'s field (the new mutex goes into `Inner`, and `x.mu` might name something else). A
 * holder spelled alike whose types reach the field by different paths is refused.
 */
function lockHolders(sites: Site[]): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const s of sites) {
    if (!s.operand) continue;
    const text = s.operand.text;
    const holder = s.via ? `${text}.${s.via}` : text;
    const prev = out.get(text);
    if (prev !== undefined && prev !== holder) return `${text} reaches it as ${prev} in one place and as ${holder} in another`;
    out.set(text, holder);
  }
  return out;
}

/** Why a package variable of an anonymous struct type may be copied: any use but `v.f` and `&v`. */
function anonymousCopy(index: PackageIndex, st: StructInfo): string | undefined {
  for (const u of index.model.usesOf(st.anonymous!)) {
    let e = u;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    const p = e.parent;
    if (p?.type === 'selector_expression' && p.childForFieldName('operand')?.equals(e)) continue;
    if (p?.type === 'unary_expression' && p.childForFieldName('operator')?.text === '&') continue;
    const file = index.fileByBase.get(index.model.fileOf(u)?.file as never);
    return `${st.name} is used by value${file ? ` at ${file.path.split('/').pop()}:${lineOf(file.source, u.startIndex)}` : ''}`;
  }
  return undefined;
}

/** `T{a, b}`: an unkeyed literal of the struct, as `file:line`, or undefined. */
function unkeyedLiteral(index: PackageIndex, name: string): string | undefined {
  for (const file of index.pkg.files) {
    for (const lit of descendants(file.root, 'composite_literal')) {
      const t = lit.childForFieldName('type');
      const tn = t?.type === 'generic_type' ? t.childForFieldName('type')?.text : t?.text;
      if (tn !== name) continue;
      const body = lit.childForFieldName('body');
      if (body?.namedChildren.some((k) => k?.type === 'literal_element')) return `${file.path}:${lineOf(file.source, lit.startIndex)}`;
    }
  }
  return undefined;
}

/** Sorts the edits, joins insertions at one point, and rejects overlaps (undefined). */
function normalise(edits: Edit[]): Edit[] | undefined {
  const sorted = [...edits].sort((x, y) => (x.file ?? '').localeCompare(y.file ?? '') || x.start - y.start || x.end - y.end);
  const out: Edit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.file === e.file && prev.start === e.start && prev.end === e.end && e.start === e.end) {
      if (prev.text !== e.text) prev.text += e.text;
      continue;
    }
    if (prev && prev.file === e.file && e.start < prev.end) return undefined;
    out.push({ ...e });
  }
  return out;
}
