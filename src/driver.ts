/**
 * The driver: files → read → group into packages → plan → verify → results.
 *
 * It owns all I/O except output: sinks decide what to print and the writer decides what to write,
 * so the dry run, --check, --write, --json and interactive mode all share this one pipeline. Work is
 * done a package at a time because transforms need the whole package (a map declared in one file is
 * written in another); a package in which no file passes any transform's cheap text test is never
 * parsed, which is what makes a whole-repository run fast.
 */
import { promises as fs, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { cacheFingerprint, directoryKey, readCached, writeCached } from './cache.js';
import type { CacheConfig, CachedFile, CachedOutcome, KeyedFile } from './cache.js';
import { discover, linkedFileProblem, listGoSources } from './files.js';
import type { Listed } from './files.js';
import { findGofmt, layoutWithGofmt } from './gofmt.js';
import { fileGoVersion, ModuleVersions } from './goversion.js';
import { initParser, syntaxErrorCount } from './parse.js';
import { goAccepts, treeSitterError } from './syntax.js';
import type { GoVerdict } from './syntax.js';
import { collectCandidates, planPackage } from './plan.js';
import type { Candidate, LocatedFinding, PlanOptions, SourceFile } from './plan.js';
import type { Pool } from './pool.js';
import { decodeSource, readHeader } from './source.js';
import type { Decoded } from './source.js';
import { packageMayMatch } from './contract.js';
import type { Proof } from './prove/index.js';
import type { AnyTransform, Fix, GoVersion } from './types.js';

export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'error';

export interface FileResult {
  /** Display path: relative to the working directory, `/` separated. */
  path: string;
  absPath: string;
  status: FileStatus;
  /** Why a file was skipped or failed. */
  reason?: string;
  /** True when the skip means gomend could not process a file it should have (exit code 3). */
  problem?: boolean;
  /** Where the reason (a syntax error) or `partial` points, 1-based; the column counts UTF-8 bytes. */
  line?: number;
  column?: number;
  /**
   * Valid Go (gofmt accepts it) that gomend's parser cannot read in full, when findings fell in
   * the part it cannot read: what was left unchecked. Not a problem: the rest was checked.
   */
  partial?: string;
  findings: LocatedFinding[];
  /** The bytes read (for diffs and for the changed-on-disk check before writing). */
  original?: Buffer;
  /** The normalised text read, and the new normalised text when changed. */
  before?: string;
  after?: string;
  shape?: { bom: boolean; crlf: boolean };
  /** Transforms whose fixes change this file. */
  transforms: string[];
}

export interface RunSummary {
  files: number;
  changed: number;
  findings: number;
  fixes: number;
  skipped: number;
  errors: number;
  conflicts: number;
  seconds: number;
}

export interface RunResult {
  files: FileResult[];
  summary: RunSummary;
  /** One-off remarks for stderr ("gofmt not found: …"). */
  notes: string[];
  /** With `--prove`: each fixed package's test outcomes before and after its fixes. */
  proofs?: Proof[];
}

export interface DriverOptions {
  paths: string[];
  cwd?: string;
  transforms: AnyTransform[];
  /** The Go version for files with no go.mod above them. */
  goVersion?: GoVersion;
  /** Plan options, e.g. `accept` for interactive approval. */
  plan?: PlanOptions;
  /**
   * Interactive approval: called once per package with the fixes the first pass offers (in file
   * then position order); the answer says which to apply, possibly with an edited fix. When set,
   * each package is planned in a single pass with exactly the approved fixes.
   */
  decide?: (candidates: Candidate[], sources: SourceFile[]) => Promise<Map<string, true | Fix>>;
  /** Called when a package's files are final (verified), before the next package starts. */
  onPackageDone?: (files: FileResult[]) => Promise<void>;
  /**
   * Worker threads to spread directories over (default: the number of cores). Workers are used only
   * when `transformSpecs` says how to load the transforms there and no `decide` hook is set.
   */
  jobs?: number;
  /** How workers load `transforms`: built-in names or absolute module paths, in the same order. */
  transformSpecs?: string[];
  /**
   * The content-hash cache (`--cache`): directories whose files, configuration and gomend itself
   * are unchanged since a run stored them are not planned again. Ignored in interactive mode.
   */
  cache?: { dir: string };
  /** Called after each directory with the number of files done so far. */
  onProgress?: (done: number, total: number, fixes: number) => void;
}

/**
 * Turns an absolute path into the display form: relative to the working directory, `../` included,
 * so messages stay short and diff headers apply from where gomend ran.
 */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
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
  if (header.generated) return { result: { ...result, status: 'skipped', reason: 'generated file' }, decoded: decoded.value, packageName: header.packageName, generated: true };
  result.before = decoded.value.text;
  result.shape = { bom: decoded.value.bom, crlf: decoded.value.crlf };
  const modVersion = await versions.forDir(path.dirname(abs));
  return { result, decoded: decoded.value, packageName: header.packageName, goVersion: fileGoVersion(modVersion, decoded.value.text) };
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
 * Plans one package and verifies every changed file with tree-sitter and gofmt. A file that fails
 * verification is frozen and the package re-planned without the fixes that touch it, so a fix
 * spanning several files is never half applied.
 */
async function processPackage(members: ReadFile[], dir: string, options: DriverOptions, gofmtBin: string | undefined): Promise<{ fixes: number; conflicts: number }> {
  const { transforms } = options;
  const texts = members.flatMap((m) => (m.decoded ? [m.decoded.text] : []));
  const anyCandidate = texts.length > 0 && transforms.some((t) => packageMayMatch(t, texts));
  if (!anyCandidate) return { fixes: 0, conflicts: 0 };

  const usable = members.filter((m) => m.decoded);
  if (usable.length === 0) return { fixes: 0, conflicts: 0 };
  const sources: SourceFile[] = usable.map((m) => ({ path: m.result.path, source: m.decoded!.text, goVersion: m.goVersion, readOnly: m.generated || m.contextOnly }));
  const byPath = new Map(usable.map((m) => [m.result.path, m]));

  const frozen = new Set<string>(options.plan?.frozen ?? []);
  const failures = new Map<string, string>();
  const planOptions: PlanOptions = { ...options.plan };
  if (options.decide) {
    const offered = collectCandidates(sources, transforms, dir).candidates.sort(
      (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.finding.start - b.finding.start),
    );
    const answers = offered.length ? await options.decide(offered, sources) : new Map<string, true | Fix>();
    planOptions.accept = (c) => answers.get(c.id) ?? false;
  }
  let plan = planPackage(sources, transforms, { ...planOptions, frozen }, dir);
  // Go's parser is the judge: a file tree-sitter cannot read whole but gofmt accepts is planned
  // again, worked on outside the parts tree-sitter cannot read (see syntax.ts).
  // (Planned again until no new file needs judging: the verdicts only grow, so this ends.)
  const goVerdicts = new Map<string, GoVerdict>();
  while (gofmtBin) {
    const unjudged = [...plan.syntaxErrors.keys()].filter((p) => !goVerdicts.has(p));
    for (const p of unjudged) goVerdicts.set(p, await goAccepts(gofmtBin, byPath.get(p)!.decoded!.text));
    if (!unjudged.some((p) => goVerdicts.get(p)!.valid)) break;
    planOptions.localErrors = new Set([...goVerdicts].filter(([, v]) => v.valid).map(([p]) => p));
    plan = planPackage(sources, transforms, { ...planOptions, frozen }, dir);
  }
  // Verify every changed file; freeze the failures and plan again until a plan verifies whole
  // (the frozen set only grows, so this ends), so a fix spanning files is never half applied.
  for (;;) {
    const failed: string[] = [];
    if (plan.unsettled) {
      for (const p of plan.outputs.keys()) {
        const names = [...(plan.transformsByFile.get(p) ?? [])].join(', ');
        failures.set(p, `fixes did not settle after 10 passes (${names}): a transform keeps matching its own output; file left unchanged`);
        failed.push(p);
      }
    }
    for (const [p, text] of plan.outputs) {
      if (failed.includes(p)) continue;
      const before = byPath.get(p)!.decoded!.text;
      const errors = syntaxErrorCount(text);
      // A file read only in part keeps its unreadable parts; an edit must not add to them.
      const broken = errors > 0 && (!plan.localErrors.has(p) || errors > syntaxErrorCount(before));
      let reason = broken ? 'the result does not parse' : undefined;
      if (!reason && gofmtBin) {
        // gofmt-clean where the file was; laid out by gofmt for transforms that ask (see gofmt.ts).
        const laid = await layoutWithGofmt(gofmtBin, before, text, plan.gofmtLayout.has(p));
        if (!laid.ok) reason = laid.reason;
        else if (laid.text === before) plan.outputs.delete(p);
        else if (laid.text !== text) plan.outputs.set(p, laid.text);
      }
      if (reason) {
        const names = [...(plan.transformsByFile.get(p) ?? [])].join(', ');
        failures.set(p, `verification failed (${names}): ${reason}; file left unchanged`);
        failed.push(p);
      }
    }
    if (failed.length === 0) break;
    for (const p of failed) frozen.add(p);
    plan = planPackage(sources, transforms, { ...planOptions, frozen }, dir);
  }

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


/** What one directory's work gives back: its files' results and the fixes applied there. */
export interface DirectoryOutcome {
  files: FileResult[];
  fixes: number;
  conflicts: number;
}

/**
 * Reads one directory's files, plans each package in it and verifies the result. Used in-process
 * and by the worker threads, so it depends only on its arguments.
 */
export async function processDirectory(
  dir: string,
  paths: string[],
  cwd: string,
  options: DriverOptions,
  versions: ModuleVersions,
  gofmtBin: string | undefined,
  contextPaths: string[] = [],
  cache?: CacheConfig,
): Promise<DirectoryOutcome> {
  const members = await mapLimit(paths, 16, (abs) => readOne(abs, cwd, versions));
  const context = await mapLimit(contextPaths, 16, async (abs) => ({ ...(await readOne(abs, cwd, versions)), contextOnly: true }));
  const useCache = cache && !options.decide && !options.onPackageDone ? cache : undefined;
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
    await options.onPackageDone?.(pkgMembers.filter((m) => !m.contextOnly).map((m) => m.result));
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

/**
 * The .go files beside the ones to process that were not named (a single file on the command line,
 * a pre-commit hook passing staged files, a .gitignore'd sibling): transforms need the whole
 * package, so they are read as context that is never edited nor reported. A directory the walk
 * listed is not read again.
 */
function siblingsNotNamed(byDir: Map<string, string[]>, listings: Map<string, Listed[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [dir, paths] of byDir) {
    const listed = listings.get(dir) ?? listGoSources(dir);
    const named = new Set(paths);
    const extra: string[] = [];
    for (const e of listed) {
      const full = path.join(dir, e.name);
      if (named.has(full)) continue;
      if (!e.link || linkedFileProblem(full) === undefined) extra.push(full);
    }
    if (extra.length) out.set(dir, extra.sort());
  }
  return out;
}

/** A file's size in bytes, 0 when it cannot be read (the reader reports why). */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Runs gomend over `options.paths` and returns what it found; writes nothing. */
export async function runDriver(options: DriverOptions): Promise<RunResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const notes: string[] = [];
  // Workers start first, so that they load while the files are found (see pool.ts).
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const mayPool = jobs > 1 && !!options.transformSpecs && !options.decide && !options.onPackageDone;
  const pool = mayPool && (await severalDirectories(options.paths, cwd)) ? (await import('./pool.js')).startPool(jobs) : undefined;
  try {
    return await runWith(options, cwd, notes, started, pool);
  } finally {
    await pool?.destroy();
  }
}

/**
 * True when the paths may hold several directories of Go files (only then is there work to
 * spread): several paths, or a directory with a sub-directory. A single package does not start
 * workers it would not use.
 */
async function severalDirectories(paths: string[], cwd: string): Promise<boolean> {
  if (paths.length > 1) return true;
  const entries = await fs.readdir(path.resolve(cwd, paths[0] ?? '.'), { withFileTypes: true }).catch(() => []);
  return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_') && e.name !== 'testdata');
}

async function runWith(options: DriverOptions, cwd: string, notes: string[], started: number, pool: Pool | undefined): Promise<RunResult> {
  const gofmtBin = await findGofmt();
  if (!gofmtBin) notes.push('gofmt not found on PATH or under `go env GOROOT`: changed files are checked by re-parsing only, not by gofmt');

  const found = await discover(options.paths, cwd);

  // Work a directory at a time (a package never spans directories), reading its files only then,
  // so memory holds one directory's sources plus the changed files, never the whole tree.
  const byDir = new Map<string, string[]>();
  for (const abs of found.files) {
    const dir = path.dirname(abs);
    const list = byDir.get(dir) ?? [];
    list.push(abs);
    byDir.set(dir, list);
  }
  const dirs = [...byDir];
  const contextOf = siblingsNotNamed(byDir, found.listings);

  // The cache needs to know what the transforms are: it is used when they are given by name or path.
  const cache: CacheConfig | undefined =
    options.cache && options.transformSpecs ? { dir: options.cache.dir, fingerprint: await cacheFingerprint(options.transformSpecs, gofmtBin, options.goVersion) } : undefined;

  const usePool = pool && dirs.length > 1;
  const outcomes: DirectoryOutcome[] = new Array(dirs.length);
  let done = 0;
  let fixesSoFar = 0;
  const record = (i: number, outcome: DirectoryOutcome) => {
    outcomes[i] = outcome;
    done += outcome.files.length;
    fixesSoFar += outcome.fixes;
    options.onProgress?.(done, found.files.length, fixesSoFar);
  };
  let versions: ModuleVersions | undefined;
  /** One directory in this thread: the path without workers, and the one for a directory a worker could not finish. */
  const inProcess = async (i: number): Promise<DirectoryOutcome> => {
    await initParser(); // workers load their own parser; the main thread needs one only here
    versions ??= new ModuleVersions(options.goVersion);
    return processDirectory(dirs[i][0], dirs[i][1], cwd, options, versions, gofmtBin, contextOf.get(dirs[i][0]), cache);
  };
  if (usePool) {
    // Sizes for the order of the work, heaviest first: a synchronous stat is a few microseconds.
    const weights = dirs.map(([, paths]) => paths.reduce((bytes, p) => bytes + sizeOf(p), 0));
    const { redone } = await pool.run(
      dirs.map(([dir, paths]) => ({ dir, paths, contextPaths: contextOf.get(dir) ?? [], cwd, goVersion: options.goVersion, transformSpecs: options.transformSpecs!, cache })),
      record,
      weights,
      inProcess,
    );
    if (redone.length > 0) {
      const names = redone.map((i) => displayPath(cwd, dirs[i][0]) || '.');
      const which = names.length === 1 ? names[0] : `${names.length} directories (${names.join(', ')})`;
      notes.push(`${which} did not fit a worker's ${pool.heapLimitMb} MB heap and ran again in the main thread`);
    }
  } else {
    for (let i = 0; i < dirs.length; i++) record(i, await inProcess(i));
  }

  const files: FileResult[] = [];
  let fixes = 0;
  let conflicts = 0;
  for (const o of outcomes) {
    files.push(...o.files);
    fixes += o.fixes;
    conflicts += o.conflicts;
  }
  for (const p of found.problems) {
    files.push({ path: displayPath(cwd, p.path), absPath: p.path, status: 'error', reason: p.message, problem: true, findings: [], transforms: [] });
  }
  const summary: RunSummary = {
    files: found.files.length,
    changed: files.filter((f) => f.status === 'changed').length,
    findings: files.reduce((n, f) => n + f.findings.length, 0),
    fixes,
    skipped: files.filter((f) => f.status === 'skipped').length,
    errors: files.filter((f) => f.status === 'error').length,
    conflicts,
    seconds: (performance.now() - started) / 1000,
  };
  return { files, summary, notes };
}
