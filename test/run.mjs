// Runs the uvu suites compiled to dist/test and ends with the line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const args = [uvu, path.join('dist', 'test'), '.test.js$', ...process.argv.slice(2)];
const child = spawnSync(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 });
process.stdout.write(child.stdout ?? '');
const total = Number(/Total:\s+(\d+)/.exec(child.stdout ?? '')?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(child.stdout ?? '')?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(child.stdout ?? '')?.[1] ?? 0);
const failed = Math.max(0, total - passed - skipped) + (child.status !== 0 && total === passed ? 1 : 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(child.status === 0 && failed === 0 ? 0 : 1);
