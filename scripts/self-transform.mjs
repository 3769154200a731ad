// For the check scripts that run as a gomend transform module (so packages are grouped exactly as
// in a real run): runs gomend over the trees with the calling script as its only transform and
// returns what each finding reported, with its file's path. Exits 2 on bad usage or a failed run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The JSON messages of the findings `script` (an absolute path) reports over `trees`, by file. */
export function reportsOver(script, trees) {
  if (trees.length === 0) {
    console.error(`usage: node scripts/${path.basename(script)} DIR...`);
    process.exit(2);
  }
  const run = spawnSync(process.execPath, [path.join(root, 'bin/gomend.js'), '--json', '-q', '-t', script, ...trees], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (!run.stdout.startsWith('{')) {
    console.error(run.stderr);
    process.exit(2);
  }
  const out = [];
  for (const f of JSON.parse(run.stdout).files ?? []) {
    for (const finding of f.findings ?? []) out.push({ path: f.path, report: JSON.parse(finding.message) });
  }
  return out;
}
