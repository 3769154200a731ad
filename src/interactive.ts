/**
 * Interactive per-fix approval (`gomend -i`).
 * TODO: being written; until then -i refuses with a clear message.
 */
import type { GoVersion, Transform } from './types.js';

export interface InteractiveOptions {
  paths: string[];
  transforms: Transform[];
  goVersion?: GoVersion;
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream };
}

export async function runInteractive(options: InteractiveOptions): Promise<number> {
  options.io.stderr.write('gomend: --interactive is not available yet\n');
  return 2;
}
