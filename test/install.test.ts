/**
 * gomend installed the ways the README documents, from a fresh copy of the repository's files (what
 * a clone holds: no node_modules, no dist):
 *
 * - the package metadata and the packed file list (`npm pack --dry-run --json`): only what runs;
 * - the packed tarball installed globally into an empty prefix, which gets no devDependencies, runs
 *   `gomend --version`, `--list` and the demo;
 * - a global install from a local git URL the way pre-commit installs a `language: node` hook
 *   (`npm install --allow-git=root --install-links -g git+file://<clone>`), which builds the package
 *   with scripts/build.mjs without devDependencies;
 * - the GitHub Action's steps (scripts/action.sh, as action.yml calls it) with the action's checkout
 *   a fresh copy: on a module with a pending fix the step writes SARIF and the verdict fails with
 *   exit code 1; with an install that cannot work, the step fails with exactly one `::error::` line.
 *
 * These tests need npm and the npm registry (packages are installed for real), and git; nothing
 * else from the network. Installs take a minute or more each, so nothing here is timed.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: this file runs from <outDir>/test/. */
const root = path.resolve(here, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const hasGit = spawnSync('git', ['--version']).status === 0;
const hasNpm = spawnSync('npm', ['--version']).status === 0;
const posix = process.platform !== 'win32';

const test = suite('install');
const temps: string[] = [];

test.after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-install-'));
  temps.push(dir);
  return dir;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a child: none of the npm settings of a surrounding `npm test` (they would
 * apply to the nested npm commands), no colour preference.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    if (k === 'FORCE_COLOR' || k === 'NO_COLOR') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): Ran {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: cleanEnv(), maxBuffer: 1 << 26, ...options });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

function show(r: Ran): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

/**
 * A copy of the repository's files as a clone would hold them: the files git tracks plus new files
 * it does not ignore, as they are in the working tree (so uncommitted changes are tested too).
 */
function freshCopy(): string {
  const dir = path.join(tempDir(), 'gomend');
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  assert.is(listed.code, 0, show(listed));
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(from, path.join(dir, file), { verbatimSymlinks: true });
  }
  return dir;
}

/** A copy of examples/batch: a Go module with fixes pending for the built-in transforms. */
function demoModule(): string {
  const dir = path.join(tempDir(), 'batch');
  cpSync(path.join(root, 'examples', 'batch'), dir, { recursive: true });
  return dir;
}

const enabled = hasGit && hasNpm && posix;

let tarball: string | undefined;

test('package.json: repository, bugs, homepage, keywords, and the LICENSE its license names', () => {
  assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/github\.com\/[^/]+\/gomend\.git$/);
  assert.match(pkg.bugs?.url ?? '', /^https:\/\/github\.com\/[^/]+\/gomend\/issues$/);
  assert.match(pkg.homepage ?? '', /^https:\/\/github\.com\/[^/]+\/gomend/);
  assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.includes('go'), 'keywords');
  assert.is(pkg.license, 'MIT');
  const license = readFileSync(path.join(root, 'LICENSE'), 'utf8');
  assert.ok(license.startsWith('MIT License\n'), 'LICENSE holds the MIT license');
  assert.is(pkg.scripts.prepare, 'node scripts/build.mjs', 'prepare builds without needing devDependencies');
  assert.is(pkg.bin.gomend, 'bin/gomend.js');
});

test('npm pack: the tarball holds only what runs (bin, dist/src, dist/transforms, README, LICENSE)', () => {
  if (!enabled) return;
  const tree = freshCopy();
  symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  const built = run(process.execPath, ['scripts/build.mjs'], { cwd: tree });
  assert.is(built.code, 0, show(built));
  assert.not.ok(existsSync(path.join(tree, 'dist', 'test')), 'the package build leaves the tests out');

  const dry = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: tree });
  assert.is(dry.code, 0, show(dry));
  const files: string[] = JSON.parse(dry.stdout)[0].files.map((f: { path: string }) => f.path);
  const allowed = /^(bin\/[^/]+\.js|dist\/src\/.+\.(js|d\.ts)|dist\/transforms\/.+\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/;
  for (const f of files) assert.ok(allowed.test(f), `${f} does not belong in the package`);
  for (const f of ['bin/gomend.js', 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/worker.js', 'dist/transforms/index.js', 'README.md', 'LICENSE', 'package.json']) {
    assert.ok(files.includes(f), `the package needs ${f}`);
  }

  const out = tempDir();
  const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: tree });
  assert.is(packed.code, 0, show(packed));
  tarball = path.join(out, JSON.parse(packed.stdout)[0].filename);
  assert.ok(existsSync(tarball), tarball);
});

test('the tarball installed globally into an empty prefix runs gomend without devDependencies', () => {
  if (!enabled) return;
  assert.ok(tarball, 'the pack test ran first');
  const prefix = tempDir();
  const installed = run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball!]);
  assert.is(installed.code, 0, show(installed));
  const home = path.join(prefix, 'lib', 'node_modules', 'gomend');
  for (const dev of Object.keys(pkg.devDependencies)) assert.not.ok(existsSync(path.join(home, 'node_modules', dev)), `${dev} is a devDependency`);
  const gomend = path.join(prefix, 'bin', 'gomend');

  const version = run(gomend, ['--version']);
  assert.is(version.code, 0, show(version));
  assert.is(version.stdout.trim(), pkg.version);
  const list = run(gomend, ['--list']);
  assert.is(list.code, 0, show(list));
  for (const name of ['goroutine-subslice', 'any-map-split', 'map-rwmutex']) assert.ok(list.stdout.includes(name), list.stdout);

  const demo = demoModule();
  const installedRun = run(gomend, ['.'], { cwd: demo });
  assert.is(installedRun.code, 0, show(installedRun));
  assert.ok(installedRun.stdout.includes('+++ b/'), 'the demo shows fixes');
  const fromClone = run(process.execPath, [path.join(root, 'bin', 'gomend.js'), '.'], { cwd: demo });
  assert.is(installedRun.stdout, fromClone.stdout, 'the installed gomend gives the same diff as the clone');
});

test('pre-commit: a global install from a git URL of a fresh clone, as pre-commit installs a node hook', () => {
  if (!enabled) return;
  const repo = freshCopy();
  const git = (...args: string[]) => {
    const r = run('git', ['-c', 'user.name=gomend', '-c', 'user.email=gomend@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    assert.is(r.code, 0, show(r));
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'gomend');

  // pre-commit's environment for a node hook: its own prefix, no user npmrc.
  const prefix = tempDir();
  const env = cleanEnv({ NPM_CONFIG_PREFIX: prefix, npm_config_prefix: prefix });
  delete env.NPM_CONFIG_USERCONFIG;
  delete env.npm_config_userconfig;
  const installed = run('npm', ['install', '--allow-git=root', '--install-links', '-g', `git+file://${repo}`], { env });
  assert.is(installed.code, 0, show(installed));
  const home = path.join(prefix, 'lib', 'node_modules', 'gomend');
  assert.ok(lstatSync(home).isDirectory() && !lstatSync(home).isSymbolicLink(), 'a real directory, not a link to a temporary clone');
  assert.not.ok(existsSync(path.join(home, 'node_modules', 'typescript')), 'no devDependencies in the installed package');

  // The hook's entry, `gomend --check`, with a staged file name appended.
  const gomend = path.join(prefix, 'bin', 'gomend');
  const version = run(gomend, ['--version'], { env });
  assert.is(version.stdout.trim(), pkg.version, show(version));
  const demo = demoModule();
  const hook = run(gomend, ['--check', 'batch.go'], { cwd: demo, env });
  assert.is(hook.code, 1, show(hook));
  assert.ok(hook.stdout.includes('+++ b/batch.go'), show(hook));
});

/** Runs one step of scripts/action.sh in `cwd` with the action's checkout at `actionPath`. */
function actionStep(step: 'run' | 'verdict', actionPath: string, cwd: string, env: Record<string, string>): Ran & { outputs: Record<string, string> } {
  const output = path.join(tempDir(), 'github-output');
  writeFileSync(output, '');
  const r = run('bash', [path.join(actionPath, 'scripts', 'action.sh'), step], {
    cwd,
    env: cleanEnv({ GOMEND_ACTION_PATH: actionPath, GOMEND_PATH: '.', GOMEND_TRANSFORMS: '', GOMEND_ARGS: '', GOMEND_VERSION: '', GOMEND_SARIF: 'gomend.sarif', GITHUB_OUTPUT: output, ...env }),
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { ...r, outputs };
}

function errorLines(r: Ran): string[] {
  return (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('::error::'));
}

test('action: from a fresh checkout of the action, a pending fix gives SARIF and a failing verdict', () => {
  if (!enabled) return;
  const action = freshCopy();
  const work = demoModule();
  const step = actionStep('run', action, work, { GOMEND_SARIF: 'reports/gomend.sarif' });
  assert.is(step.code, 0, show(step));
  assert.is(step.outputs['exit-code'], '1', 'fixes are pending');
  assert.is(step.outputs['sarif-file'], 'reports/gomend.sarif');
  const sarif = JSON.parse(readFileSync(path.join(work, 'reports', 'gomend.sarif'), 'utf8'));
  assert.is(sarif.version, '2.1.0');
  assert.is(sarif.runs[0].tool.driver.version, pkg.version);
  assert.ok(sarif.runs[0].results.length > 0, 'findings in the SARIF file');
  assert.is(errorLines(step).length, 0, show(step));

  const verdict = actionStep('verdict', action, work, { GOMEND_EXIT: step.outputs['exit-code'] });
  assert.is(verdict.code, 1, show(verdict));
  assert.equal(errorLines(verdict), ['::error::gomend has fixes to apply: run gomend --write and commit the result']);

  // The installed checkout is used as is the second time.
  const again = actionStep('run', action, work, {});
  assert.is(again.code, 0, show(again));
  assert.not.ok(again.stdout.includes('Installing gomend'), 'no second install');
  assert.is(actionStep('verdict', action, work, { GOMEND_EXIT: '0' }).code, 0);
});

test('action: an install that cannot work fails with one ::error:: line and no stack trace', () => {
  if (!enabled) return;
  const work = demoModule();
  const cases: [string, (dir: string) => void][] = [
    ['npm ci fails (no package-lock.json)', (dir) => rmSync(path.join(dir, 'package-lock.json'))],
    ['not a gomend checkout', (dir) => rmSync(path.join(dir, 'package.json'))],
  ];
  for (const [what, breakIt] of cases) {
    const action = freshCopy();
    breakIt(action);
    const step = actionStep('run', action, work, {});
    assert.ok(step.code !== 0 && step.code !== null, `${what}: ${show(step)}`);
    assert.is(errorLines(step).length, 1, `${what}: ${show(step)}`);
    assert.not.ok(/^\s+at .+:\d+:\d+\)?$/m.test(step.stdout + step.stderr), `${what}: no stack trace\n${show(step)}`);
    assert.is(step.outputs['exit-code'], undefined, `${what}: gomend did not run`);
    assert.not.ok(existsSync(path.join(work, 'gomend.sarif')), `${what}: no SARIF file`);
  }
});

test.run();
