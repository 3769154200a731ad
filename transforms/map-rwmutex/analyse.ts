/**
 * The package-level analysis behind map-rwmutex: candidates, their uses, who shares them, whether
 * they are guarded already, and the fix or the reason there is none.
 */
import type { Context as BaseContext, Edit, Finding } from '../../src/types.js';
import { mirrorContext } from './tree.js';
import type { Context } from './tree.js';
import { findCandidates, packageStructs } from './candidates.js';
import type { MapCandidate } from './candidates.js';
import { copiedBy, exportedCopies } from './copies.js';
import { declareField, declareVar, fieldMutexName } from './declare.js';
import { escapeFindings } from './escape.js';
import { mayNeedLock } from './gate.js';
import { analyseGoroutines } from './goroutines.js';
import type { Goroutines } from './goroutines.js';
import { guardedBy, newGuardModel } from './guards.js';
import type { GuardModel } from './guards.js';
import { buildIndex, funcOf, identsNamed } from './model.js';
import type { PackageIndex } from './model.js';
import { placeLocks } from './placement.js';
import { boundIn, createsMap, entryShare, instanceReach, useShare } from './sharing.js';
import type { Share } from './sharing.js';
import { collectSites, operandRoot } from './sites.js';
import type { Site } from './sites.js';
import { descendants, FUNCTION_TYPES, lineOf } from './syntax.js';

/** Options for testing the rewrite machinery beyond what the package itself shows. */
export interface AnalyseOptions {
  /** Treat every written candidate as shared (exercises placement on real code). */
  assumeShared?: boolean;
  /** Counts of candidates by outcome, filled in when given. */
  counts?: Record<string, number>;
}

interface Analysis {
  opts: AnalyseOptions;
  ctx: Context;
  index: PackageIndex;
  g: Goroutines;
  gm: GuardModel;
  shares: Map<string, Share>;
}

/** How an entry shares the values it is handed, memoised. */
function shareOf(a: Analysis, key: string): Share {
  let s = a.shares.get(key);
  if (s === undefined) {
    s = entryShare(a.index, a.g.entries.get(key)!);
    a.shares.set(key, s);
  }
  return s;
}

/** The analysis state of a package, or undefined when it has no candidate or no goroutine. */
function prepare(ctx: Context, opts: AnalyseOptions): { a: Analysis; candidates: MapCandidate[] } | undefined {
  const index = buildIndex(ctx.pkg);
  const candidates = findCandidates(index, packageStructs(index));
  if (candidates.length === 0) return undefined;
  const g = analyseGoroutines(index);
  if (g.entries.size === 0 && !opts.assumeShared) return undefined;
  return { a: { opts, ctx, index, g, gm: newGuardModel(index), shares: new Map() }, candidates };
}

/** Candidates examined one by one: a `var` declared in several build-tagged files is left out. */
function examined(candidates: MapCandidate[]): MapCandidate[] {
  const varNames = candidates.filter((c) => c.kind === 'var').map((c) => c.name);
  return candidates.filter((c) => c.kind !== 'var' || varNames.filter((n) => n === c.name).length === 1);
}

/** Findings of every file of the package, by path. */
export function analysePackage(base: BaseContext, opts: AnalyseOptions = {}): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const pkg = base.pkg;
  if (!pkg.files.some((f) => f.source.includes('map['))) return out;
  // Nothing is parsed for a package whose text shows no candidate written where a goroutine runs.
  if (!opts.assumeShared && !mayNeedLock(pkg.files.map((f) => f.source), pkg.files.map((f) => f.path))) return out;
  const prepared = prepare(mirrorContext(base), opts);
  if (!prepared) return out;
  for (const c of examined(prepared.candidates)) {
    for (const [path, finding] of examine(prepared.a, c)) out.set(path, [...(out.get(path) ?? []), finding]);
  }
  return out;
}

/**
 * Labels of the candidates that a goroutine writes after initialisation and that nothing shows to
 * be guarded already, found without the text gate: a finding is possible only in a package where
 * this is not empty, so the gate must say yes wherever it is not (the tests and the gate check
 * over real trees compare the two).
 */
export function goroutineWrites(base: BaseContext): string[] {
  const prepared = prepare(mirrorContext(base), {});
  if (!prepared) return [];
  const { a } = prepared;
  return examined(prepared.candidates)
    .filter((c) => uniqueField(a.index, c))
    .filter((c) => {
      const sites = collectSites(a.index, a.g, c);
      const written = sites.some((s) => s.kind === 'write' && !initialising(a, s) && [...siteContexts(a, c, s)].some((k) => k !== 'main'));
      return written && !guardedBy(a.index, a.g, a.gm, c, sites);
    })
    .map((c) => c.label);
}

/** A field is examined only when no other field, method or interface method has its name. */
function uniqueField(index: PackageIndex, c: MapCandidate): boolean {
  return c.kind !== 'field' || ((index.fieldNames.get(c.name) ?? 0) === 1 && !index.methods.has(c.name) && !index.interfaceMethods.has(c.name));
}

/** True when a write runs as initialisation: in `init`, through `sync.Once`, or on a value just built. */
function initialising(a: Analysis, s: Site): boolean {
  if (s.initTime || s.fresh) return true;
  const o = s.owner;
  if (!o) return true;
  if (o.node.type === 'function_declaration' && o.name === 'init') return true;
  const once = a.g.once;
  if (once.has(o.key) || (s.body && once.has(funcOf(a.index, s.file, s.body).key))) return true;
  const callers = a.g.callers.get(o.key) ?? [];
  return callers.length > 0 && callers.every((cs) => {
    for (let p = cs.call.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return once.has(funcOf(a.index, cs.file, p).key);
    return false;
  });
}

/**
 * The goroutines (entry keys, and 'main') a use runs in. A field counts for a goroutine only when
 * it is reached on a struct value that goroutine was handed (see `instanceReach`).
 */
function siteContexts(a: Analysis, c: MapCandidate, s: Site): Set<string> {
  const out = new Set<string>();
  const o = s.owner;
  if (!o || s.initTime) return out;
  if (a.g.mainReach.has(o.key)) out.add('main');
  for (const k of a.g.reachedBy.get(o.key) ?? []) {
    if (c.kind === 'var') {
      out.add(k);
      continue;
    }
    const entry = a.g.entries.get(k)!;
    if (shareOf(a, k) === 'none') continue;
    const root = s.operand ? operandRoot(s.operand) : null;
    if (root && instanceReach(a.index, a.g, entry.func).has(o.key) && boundIn(o, root, o.key === entry.func.key) && useShare(a.index, a.g, entry, o, root) !== 'none') out.add(k);
  }
  return out;
}

/**
 * True when a goroutine writes the map and another goroutine uses it: a write reached from a
 * goroutine entry, plus any use in another context, or a goroutine that runs many times.
 */
function shared(a: Analysis, c: MapCandidate, sites: Site[]): boolean {
  const all = new Set<string>();
  let writer = false;
  let many = false;
  for (const s of sites) {
    const contexts = siteContexts(a, c, s);
    for (const k of contexts) if (k !== 'main' || !createsMap(s)) all.add(k);
    if (s.kind !== 'write' || initialising(a, s)) continue;
    for (const k of contexts) {
      if (k === 'main') continue;
      writer = true;
      const e = a.g.entries.get(k)!;
      const root = s.operand ? operandRoot(s.operand) : null;
      if (c.kind === 'var' ? e.many : root && s.owner ? useShare(a.index, a.g, e, s.owner, root) === 'many' : shareOf(a, k) === 'many') many = true;
    }
  }
  return writer && (all.size >= 2 || many);
}

/** Findings for one candidate, with the path of the file each belongs to. */
function examine(a: Analysis, c: MapCandidate): [string, Finding][] {
  const { index } = a;
  if (!uniqueField(index, c)) {
    if (a.opts.counts) a.opts.counts['field name not unique'] = (a.opts.counts['field name not unique'] ?? 0) + 1;
    return [];
  }
  const count = (k: string): void => {
    if (a.opts.counts) a.opts.counts[k] = (a.opts.counts[k] ?? 0) + 1;
  };
  count('candidates');
  const sites = collectSites(index, a.g, c);
  if (a.opts.assumeShared ? !sites.some((s) => s.kind === 'write' && !initialising(a, s)) : !shared(a, c, sites)) {
    count('not shared');
    return [];
  }
  const guard = guardedBy(index, a.g, a.gm, c, sites);
  if (guard) {
    count(`guarded: ${guard}`);
    return [];
  }
  const out: [string, Finding][] = [];
  const base = `map ${c.label} is written and read by several goroutines without a lock`;
  const fix = buildFix(a, c, sites);
  const at = { start: c.nameNode.startIndex, end: c.nameNode.endIndex };
  count(typeof fix === 'string' ? 'refused' : 'fixed');
  if (typeof fix === 'string') out.push([c.file.path, { ...at, message: `${base}; not fixed: ${fix}` }]);
  else out.push([c.file.path, { ...at, message: base, fix: { message: `Guard ${c.label} with a sync.RWMutex`, edits: fix } }]);
  for (const file of index.pkg.files) for (const f of escapeFindings(c, sites, file)) out.push([file.path, f]);
  return out;
}

/** The edits of the fix, or the reason there is none. */
function buildFix(a: Analysis, c: MapCandidate, sites: Site[]): Edit[] | string {
  const { index, ctx, g } = a;
  if (/^\p{Lu}/u.test(c.name)) return 'it is exported, so code outside the package can use it without the lock';
  // Valid Go that tree-sitter cannot read (newer syntax) may hold accesses the lock would miss.
  const unread = index.pkg.files.find((f) => f.hasError);
  if (unread) return `${unread.path.split('/').pop()} has code gomend's parser cannot read, so not every access can be seen`;
  const problem = sites.find((s) => s.problem);
  if (problem) return problem.problem!;
  if (c.struct) {
    const outside = exportedCopies(index, c.struct);
    if (outside) return outside;
    const copied = copiedBy(index, c.struct);
    if (copied) return `${c.struct.name} is copied by value (${copied}); a mutex in it would fail go vet's copylocks check`;
    const unkeyed = unkeyedLiteral(index, c.struct.name);
    if (unkeyed) return `an unkeyed ${c.struct.name} literal at ${unkeyed} would not compile with a new field`;
  }
  const sync = ctx.importName(c.file, 'sync') ?? 'sync';
  if (index.topNames.has(sync) || (!ctx.importName(c.file, 'sync') && index.imports.get(c.file.path)?.has('sync'))) {
    return `the name sync is taken in ${c.file.path}`;
  }
  const mu = c.kind === 'var' ? `${c.name}Mu` : fieldMutexName(index, c);
  if (!mu || (c.kind === 'var' && (index.topNames.has(mu) || index.pkg.files.some((f) => identsNamed(index, f, mu).length > 0)))) {
    return `the name ${mu ?? `${c.name}Mu`} for its mutex is taken`;
  }
  const lockOf = (operand?: string): string => (c.kind === 'var' ? mu : `${operand}.${mu}`);
  const locks = placeLocks(index, g, c, sites, lockOf);
  if (typeof locks === 'string') return locks;
  const decl = c.kind === 'var' ? declareVar(c, mu, sync) : declareField(c, mu, sync);
  if (typeof decl === 'string') return decl;
  const edits: Edit[] = [...locks, ...(Array.isArray(decl) ? decl : [decl]).map((e) => ({ ...e, file: c.file.path }))];
  const imp = ctx.ensureImport(c.file, 'sync');
  if (imp) edits.push({ ...imp, file: c.file.path });
  return normalise(edits) ?? 'its edits would overlap';
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
