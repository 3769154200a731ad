/**
 * Discovers fixture cases under fixtures/ and runs Go on them.
 *
 * Layout: fixtures/<transform>/…/go.mod marks a module. In a module folder every `<case>.input.go`
 * is a single-file case; a sub-folder without go.mod holding `*.input.go` files is one multi-file
 * case (one package). Beside an input: `<case>.output.go` (absent: must stay byte-identical),
 * `<case>.findings` (optional: the exact findings, one `line:col: transform: message` a line,
 * `note: ` before the message of an explanation that only `--explain` shows),
 * `<case>.race_test.go` (the race detector must fail before the fix and pass after),
 * `<case>.content_test.go` (must fail before the fix, for a reason other than a race, and pass after:
 * the fix changes what the program computes) and `<case>.pass_test.go` (must pass before and after:
 * the rewrite keeps behaviour). All run with `go test -race -count=1`.
 *
 * A module folder may also hold other packages as plain `.go` files in sub-folders (no
 * `.input.go`): its cases are then laid out as the module is, each case in its own folder beside
 * those packages, and planned in that layout, so that the analysis sees the rest of the module.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesRoot = path.join(repoRoot, 'fixtures');

export interface CaseFile {
  /** File name inside the package, e.g. `batch.go`. */
  name: string;
  inputPath: string;
  outputPath: string;
  input: string;
  /** Expected text: the output file, or the input when there is none. */
  expected: string;
  hasOutput: boolean;
}

export interface FixtureCase {
  transform: string;
  /** Display id, e.g. `goroutine-subslice/go121/batch`. */
  id: string;
  moduleDir: string;
  caseDir: string;
  files: CaseFile[];
  findingsPath?: string;
  raceTests: string[];
  /** Tests that must fail on the input (not by a race) and pass on the output. */
  contentTests: string[];
  passTests: string[];
  /** For a module with other packages: the case folder inside the module, and those packages' files (relative paths). */
  layout?: { dir: string; support: string[] };
}

function caseFile(dir: string, inputName: string): CaseFile {
  const base = inputName.slice(0, -'.input.go'.length);
  const inputPath = path.join(dir, inputName);
  const outputPath = path.join(dir, `${base}.output.go`);
  const input = readFileSync(inputPath, 'utf8');
  const hasOutput = existsSync(outputPath);
  return { name: `${base}.go`, inputPath, outputPath, input, expected: hasOutput ? readFileSync(outputPath, 'utf8') : input, hasOutput };
}

function testsWithSuffix(dir: string, prefix: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
    .map((f) => path.join(dir, f));
}

/** Plain `.go` files in the module's sub-folders (no inputs, outputs or tests): other packages of the module. */
function supportFiles(moduleDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir).sort()) {
      const full = path.join(dir, e);
      if (statSync(full).isDirectory()) {
        if (!existsSync(path.join(full, 'go.mod'))) walk(full);
      } else if (dir !== moduleDir && e.endsWith('.go') && !e.endsWith('.input.go') && !e.endsWith('.output.go') && !e.endsWith('_test.go')) {
        out.push(path.relative(moduleDir, full));
      }
    }
  };
  walk(moduleDir);
  return out;
}

/** Every fixture case, in a stable order. */
export function discoverCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  const walk = (dir: string, moduleDir: string | undefined): void => {
    const entries = readdirSync(dir).sort();
    const isModule = entries.includes('go.mod');
    const mod = isModule ? dir : moduleDir;
    const inputs = entries.filter((e) => e.endsWith('.input.go'));
    const transform = path.relative(fixturesRoot, dir).split(path.sep)[0];
    if (inputs.length > 0 && mod) {
      if (isModule) {
        for (const input of inputs) {
          const base = input.slice(0, -'.input.go'.length);
          const findings = path.join(dir, `${base}.findings`);
          cases.push({
            transform,
            id: path.relative(fixturesRoot, path.join(dir, base)).split(path.sep).join('/'),
            moduleDir: mod,
            caseDir: dir,
            files: [caseFile(dir, input)],
            findingsPath: existsSync(findings) ? findings : undefined,
            raceTests: [path.join(dir, `${base}.race_test.go`)].filter(existsSync),
            contentTests: [path.join(dir, `${base}.content_test.go`)].filter(existsSync),
            passTests: [path.join(dir, `${base}.pass_test.go`)].filter(existsSync),
          });
        }
      } else {
        const findings = path.join(dir, 'case.findings');
        const support = supportFiles(mod);
        cases.push({
          layout: support.length > 0 ? { dir: path.relative(mod, dir), support } : undefined,
          transform,
          id: path.relative(fixturesRoot, dir).split(path.sep).join('/'),
          moduleDir: mod,
          caseDir: dir,
          files: inputs.map((i) => caseFile(dir, i)),
          findingsPath: existsSync(findings) ? findings : undefined,
          raceTests: testsWithSuffix(dir, '', '.race_test.go'),
          contentTests: testsWithSuffix(dir, '', '.content_test.go'),
          passTests: testsWithSuffix(dir, '', '.pass_test.go'),
        });
      }
    }
    for (const e of entries) {
      const full = path.join(dir, e);
      if (statSync(full).isDirectory()) walk(full, mod);
    }
  };
  walk(fixturesRoot, undefined);
  return cases;
}

export interface GoRun {
  ok: boolean;
  output: string;
}

function run(cmd: string, args: string[], cwd: string): Promise<GoRun> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GO111MODULE: 'on' }, maxBuffer: 1 << 26, timeout: 240_000 },
      (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}` }),
    );
  });
}

/**
 * Lays a case out as a real module in a temp folder: go.mod, each file with the given text under its
 * package name, and the case's test files renamed to `<name>_test.go`.
 */
export function materialise(c: FixtureCase, texts: Map<string, string>, tests: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-fixture-'));
  copyFileSync(path.join(c.moduleDir, 'go.mod'), path.join(dir, 'go.mod'));
  if (existsSync(path.join(c.moduleDir, 'go.sum'))) copyFileSync(path.join(c.moduleDir, 'go.sum'), path.join(dir, 'go.sum'));
  // In a module with other packages, the case keeps its folder and the other packages theirs.
  const caseDir = c.layout ? path.join(dir, c.layout.dir) : dir;
  for (const rel of c.layout?.support ?? []) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(path.join(c.moduleDir, rel), path.join(dir, rel));
  }
  mkdirSync(caseDir, { recursive: true });
  for (const [name, text] of texts) writeFileSync(path.join(caseDir, name), text);
  for (const t of tests) {
    // `<base>.<kind>_test.go` → `<base>_<kind>_gomend_test.go`: a race and a content test of one case do not collide.
    const base = path.basename(t).replace(/_test\.go$/, '');
    writeFileSync(path.join(caseDir, `${base.replace(/\./g, '_')}_gomend_test.go`), readFileSync(t));
  }
  return dir;
}

/** `go vet` then `go test -race` in a materialised case. */
export async function vetAndRaceTest(dir: string, pkg = '.'): Promise<{ vet: GoRun; test: GoRun }> {
  const vet = await run('go', ['vet', pkg], dir);
  const test = await run('go', ['test', '-race', '-count=1', pkg], dir);
  return { vet, test };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
