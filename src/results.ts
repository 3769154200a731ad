/**
 * What a run gives back, file by file: the results every sink reads (the diff, the reports, the
 * writer, the interactive prompt), what one directory's work gives back to the driver (in this
 * thread or from a worker), and the display form of paths. Types and one pure function, so every
 * stage can name them without importing the driver.
 */
import path from 'node:path';
import type { LocatedFinding } from './plan-types.js';
import type { Proof } from './prove/outcome.js';

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

/** What one directory's work gives back: its files' results and the fixes applied there. */
export interface DirectoryOutcome {
  files: FileResult[];
  fixes: number;
  conflicts: number;
}

/**
 * Turns an absolute path into the display form: relative to the working directory, `../` included,
 * so messages stay short and diff headers apply from where gomend ran.
 */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}
