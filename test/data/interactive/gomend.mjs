// Runs gomend's CLI from the compiled output named by GOMEND_DIST (an absolute path), else from
// dist/, so the tests of `gomend -i` drive the CLI they were compiled with. Same as bin/gomend.js.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.GOMEND_DIST;
const cli = dist ? pathToFileURL(path.join(dist, 'src', 'cli.js')).href : '../../../dist/src/cli.js';
const { main } = await import(cli);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`gomend: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 3;
  },
);
