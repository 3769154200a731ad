/**
 * One directory's work, the same in this thread and in a worker: read its files, group them into
 * packages, plan and verify each package (verify.ts) and fill in each file's result. A directory
 * whose files, configuration and gomend are unchanged since a `--cache` run is answered from the
 * cache instead.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { directoryKey, readCached, writeCached } from './cache.js';
import type { CacheConfig, CachedFile, CachedOutcome, KeyedFile } from './cache.js';
import { collectCandidates } from './candidates.js';
import { packageMayMatch } from './contract.js';
import { fileGoVersion } from './goversion.js';
import type { ModuleVersions } from './goversion.js';
import type { PlanOptions, SourceFile } from './plan-types.js';
import type { DirectoryOutcome, FileResult } from './results.js';
import { displayPath } from './results.js';
import { streams } from './sinks/sink.js';
import type { PackageSink } from './sinks/sink.js';
import { decodeSource, readHeader } from './source.js';
import type { Decoded } from './source.js';
import { treeSitterError } from './syntax.js';
import type { AnyTransform, Fix, GoVersion } from './types.js';
import { planVerified } from './verify.js';

/** What directory processing needs of the driver's options. */
export interface DirectoryOptions {
  transforms: AnyTransform[];
  /** Plan options, e.g. `frozen` files. */
  plan?: PlanOptions;
  /**
   * A sink that takes packages one at a time (see sinks/sink.ts): it may approve each package's
   * fixes before planning, and takes each package's final files before the next is read.
   */
  sink?: PackageSink;
}

interface ReadFile {
  result: FileResult;
  decoded?: Decoded;
  packageName?: string;
  generated?: boolean;
  /** Not named by the user, read only so the package is whole: never edited, never reported. */
  contextOnly?: boolean;
  goVersion?: GoVersion;
}

async function readOne(abs: string, cwd: string, versions: ModuleVersions): Promise<ReadFile> {
  const result: FileResult = { path: displayPath(cwd, abs), absPath: abs, status: 'unchanged', findings: [], transforms: [] };
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { result: { ...result, status: 'error', reason: `cannot read: ${code === 'EACCES' ? 'permission denied' : code ?? err}`, problem: true } };
  }
  result.original = bytes;
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { result: { ...result, status: 'skipped', reason: decoded.reason, line: decoded.line, column: decoded.column, problem: true } };
  const header = readHeader(decoded.value.text);
  if (!header.packageName) {
    const reason = decoded.value.text.trim() === '' ? 'empty file' : 'no package clause';
    return { result: { ...result, status: 'skipped', reason, problem: true } };
  }
  // A generated file is read for its package's sake only, but in its own language version (a transform for old Go skips newer files).
  const goVersion = fileGoVersion(await versions.forDir(path.dirname(abs)), decoded.value.text);
  if (header.generated) return { result: { ...result, status: 'skipped', reason: 'generated file' }, decoded: decoded.value, packageName: header.packageName, generated: true, goVersion };
  result.before = decoded.value.text;
  result.shape = { bom: decoded.value.bom, crlf: decoded.value.crlf };
  return { result, decoded: decoded.value, packageName: header.packageName, goVersion };
}

/** Runs `fn` over `items` with at most `limit` at once, keeping order of results. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/**
 * Plans one package, with the fixes the sink approves, and verifies it (see verify.ts); then fills
 * in its files' results.
 */
async function processPackage(members: ReadFile[], dir: string, options: DirectoryOptions, gofmtBin: string | undefined): Promise<{ fixes: number; conflicts: number }> {
  const { transforms } = options;
  const texts = members.flatMap((m) => (m.decoded ? [m.decoded.text] : []));
  const anyCandidate = texts.length > 0 && transforms.some((t) => packageMayMatch(t, texts, dir));
  if (!anyCandidate) return { fixes: 0, conflicts: 0 };

  const usable = members.filter((m) => m.decoded);
  if (usable.length === 0) return { fixes: 0, conflicts: 0 };
  const sources: SourceFile[] = usable.map((m) => ({ path: m.result.path, source: m.decoded!.text, goVersion: m.goVersion, readOnly: m.generated || m.contextOnly }));
  const byPath = new Map(usable.map((m) => [m.result.path, m]));

  const planOptions: PlanOptions = { ...options.plan };
  const approve = options.sink?.approve;
  if (approve) {
    const offered = collectCandidates(sources, transforms, dir).candidates.sort(
      (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.finding.start - b.finding.start),
    );
    const answers = offered.length ? await approve.call(options.sink, offered, sources) : new Map<string, true | Fix>();
    planOptions.accept = (c) => answers.get(c.id) ?? false;
  }
  const { plan, failures, frozen, goVerdicts } = await planVerified(sources, transforms, planOptions, dir, gofmtBin);

  for (const [p, reason] of plan.transformErrors) {
    const m = byPath.get(p)!;
    if (!m.generated && !m.contextOnly) Object.assign(m.result, { status: 'error', reason, problem: true });
  }
  for (const p of plan.syntaxErrors.keys()) {
    const m = byPath.get(p)!;
    if (m.generated || m.contextOnly) continue;
    const v = goVerdicts.get(p);
    const at = v && !v.valid ? v : treeSitterError(m.decoded!.text);
    const reason = v ? `syntax error: ${at.message}; not rewritten` : `${at.message}; not rewritten (gofmt, which would tell whether this is valid Go, was not found)`;
    Object.assign(m.result, { status: 'error', reason, line: at.line, column: at.column, problem: true });
  }
  for (const [p, local] of plan.localErrors) {
    const m = byPath.get(p)!;
    if (m.generated || m.contextOnly || local.hidden === 0) continue;
    const n = local.hidden === 1 ? '1 finding' : `${local.hidden} findings`;
    Object.assign(m.result, { line: local.line, column: local.column, partial: `gomend's parser cannot read this declaration, though it is valid Go; ${n} there left unchecked` });
  }
  for (const f of plan.findings) {
    const m = byPath.get(f.path);
    if (m && !m.generated && !m.contextOnly) m.result.findings.push(f); // context, not a target
  }
  for (const [p, text] of plan.outputs) {
    if (frozen.has(p)) continue;
    const r = byPath.get(p)!.result;
    r.status = 'changed';
    r.after = text;
    r.transforms = [...(plan.transformsByFile.get(p) ?? [])].sort();
  }
  for (const [p, reason] of failures) {
    const r = byPath.get(p)!.result;
    if (r.status !== 'changed') Object.assign(r, { status: 'error', reason, problem: true });
  }
  return { fixes: plan.applied, conflicts: plan.conflicts };
}


/**
 * Reads one directory's files, plans each package in it and verifies the result. Used in-process
 * and by the worker threads, so it depends only on its arguments.
 */
export async function processDirectory(
  dir: string,
  paths: string[],
  cwd: string,
  options: DirectoryOptions,
  versions: ModuleVersions,
  gofmtBin: string | undefined,
  contextPaths: string[] = [],
  cache?: CacheConfig,
): Promise<DirectoryOutcome> {
  const members = await mapLimit(paths, 16, (abs) => readOne(abs, cwd, versions));
  const context = await mapLimit(contextPaths, 16, async (abs) => ({ ...(await readOne(abs, cwd, versions)), contextOnly: true }));
  const useCache = cache && !streams(options.sink) ? cache : undefined;
  const key = useCache ? directoryKey(useCache, cwd, [...members, ...context].map(keyedFile)) : '';
  if (useCache) {
    const hit = await readCached(useCache, cwd, dir, key);
    if (hit && restoreFromCache(members, hit)) return finishDirectory(members, hit.fixes, hit.conflicts);
  }
  const all = [...members, ...context.filter((c) => c.decoded)];
  const packages = new Map<string, ReadFile[]>();
  for (const r of all) {
    if (!r.packageName) continue;
    const list = packages.get(r.packageName) ?? [];
    list.push(r);
    packages.set(r.packageName, list);
  }
  let fixes = 0;
  let conflicts = 0;
  for (const pkgMembers of packages.values()) {
    const res = await processPackage(pkgMembers, dir, options, gofmtBin);
    fixes += res.fixes;
    conflicts += res.conflicts;
    await options.sink?.package?.(pkgMembers.filter((m) => !m.contextOnly).map((m) => m.result));
  }
  if (useCache) await writeCached(useCache, cwd, dir, key, { files: members.map((m) => toCached(m.result)), fixes, conflicts });
  return finishDirectory(members, fixes, conflicts);
}

/** Keeps the text of changed files, and of files with findings (SARIF locates fixes in it), only: a large tree must not stay in memory. */
function finishDirectory(members: ReadFile[], fixes: number, conflicts: number): DirectoryOutcome {
  for (const m of members) {
    if (m.result.status !== 'changed') {
      m.result.original = undefined;
      if (m.result.findings.length === 0) m.result.before = undefined;
    }
  }
  return { files: members.map((m) => m.result), fixes, conflicts };
}

/** A file as the cache key sees it: path, bytes (or why they could not be read), Go version, role. */
function keyedFile(m: ReadFile): KeyedFile {
  return { absPath: m.result.absPath, bytes: m.result.original, unreadable: m.result.original ? undefined : m.result.reason, goVersion: m.goVersion, contextOnly: m.contextOnly };
}

/** What the cache keeps of a file's result. */
function toCached(r: FileResult): CachedFile {
  return { absPath: r.absPath, ...outcomeOf(r) };
}

/** The part of a file's result that the planning decided, which the cache keeps and restores. */
function outcomeOf(r: FileResult | CachedFile): Omit<CachedFile, 'absPath'> {
  return { status: r.status, reason: r.reason, problem: r.problem, line: r.line, column: r.column, partial: r.partial, findings: r.findings, after: r.after, transforms: r.transforms };
}

/** Fills the results of `members` from a cache entry; false when the entry does not fit them. */
function restoreFromCache(members: ReadFile[], hit: CachedOutcome): boolean {
  if (hit.files.length !== members.length || hit.files.some((f, i) => f.absPath !== members[i].result.absPath)) return false;
  hit.files.forEach((f, i) => Object.assign(members[i].result, outcomeOf(f)));
  return true;
}

