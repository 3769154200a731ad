#!/usr/bin/env node
// Builds what gomend runs (src/ and transforms/ into dist/, tsconfig.build.json) and is the package's
// `prepare` script, so it must work wherever npm runs `prepare`, not only in a developer's clone:
//
// - `npm ci` / `npm install` in a clone: the TypeScript compiler of devDependencies is there; use it.
// - `npm install -g git+https://…` (and pre-commit, which installs hooks that way), or
//   `npm install --omit=dev`: npm prepares the clone without devDependencies, so there is no `tsc`.
//   Then the build tools are installed here first, at the versions of package-lock.json, by a
//   nested `npm install` that gets none of the outer npm's settings: an inherited `global=true` or
//   `prefix` would send the tools elsewhere, an inherited `omit=dev` would leave them out.
// - A global install from git: npm (7 to 11) prepares the clone with a nested `npm install` that,
//   inheriting `global=true`, links the temporary clone into the global `node_modules` before the
//   package is packed, and then extracts the package through that link into the clone it deletes
//   afterwards: the install ends as a dangling link (npm/cli#4148, #6984). When this script runs in
//   such a clone (under npm's cache) and finds that link, it puts an empty directory in its place,
//   so that the package is extracted into a real directory.
//
// Usage: node scripts/build.mjs [tsconfig] (default tsconfig.build.json)
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const project = process.argv[2] ?? 'tsconfig.build.json';
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

function fail(message) {
  process.stderr.write(`gomend build: ${message}\n`);
  process.exit(1);
}

/** npm settings a nested npm may inherit: where to find packages and how to reach them, nothing else. */
const KEEP = /^npm_config_(cache|registry|userconfig|proxy|https_proxy|http_proxy|noproxy|no_proxy|strict_ssl|cafile|ca|offline|prefer_offline|prefer_online|fetch_.*|loglevel|node_gyp|nodedir|user_agent)$/i;

function nestedNpmEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !KEEP.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** Replaces the link to this temporary clone that a global install from git leaves (see above). */
function unlinkGlobalCloneLink() {
  const env = process.env;
  if (env.npm_config_global !== 'true' || !env.npm_config_prefix || !env.npm_config_cache) return;
  let self;
  let tmp;
  try {
    self = realpathSync(root);
    tmp = realpathSync(path.join(env.npm_config_cache, '_cacache', 'tmp'));
  } catch {
    return;
  }
  if (!self.startsWith(tmp + path.sep)) return; // a real checkout: a link to it is what the user asked for
  for (const dir of [path.join(env.npm_config_prefix, 'lib', 'node_modules'), path.join(env.npm_config_prefix, 'node_modules')]) {
    const link = path.join(dir, pkg.name);
    try {
      if (!lstatSync(link).isSymbolicLink() || realpathSync(link) !== self) continue;
      unlinkSync(link);
      mkdirSync(link);
    } catch {
      // not there, or not ours
    }
  }
}

function localTsc() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const types = path.join(root, 'node_modules', '@types', 'node', 'package.json');
  return existsSync(tsc) && existsSync(types) ? tsc : undefined;
}

function installBuildTools() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--no-save', '--include=dev', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--no-progress'];
  process.stderr.write(`gomend build: no TypeScript compiler in node_modules; installing the devDependencies (npm ${args.join(' ')})\n`);
  const r = spawnSync(npm, args, { cwd: root, env: nestedNpmEnv(), stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (r.error) fail(`could not run npm: ${r.error.message}`);
  if (r.status !== 0) fail(`npm install of the build tools failed (exit code ${r.status})`);
}

unlinkGlobalCloneLink();

let tsc = localTsc();
if (!tsc) {
  installBuildTools();
  tsc = localTsc();
  if (!tsc) fail('npm install finished but node_modules/typescript is still missing');
}

// Files of deleted sources must not stay in dist/ (and in the package).
for (const dir of ['src', 'transforms']) rmSync(path.join(root, 'dist', dir), { recursive: true, force: true });

const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
if (r.error) fail(r.error.message);
process.exit(r.status ?? 1);
