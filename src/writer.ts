/**
 * Writing changed files safely.
 *
 * Each file is written whole or not at all: the new bytes go to a temporary file in the same
 * directory (same file system, so the rename is atomic), with the original's mode, and are renamed
 * over the original. Just before that the file is read again: if it changed since gomend read it
 * (an editor saved, a branch switched), it is left alone and reported. An interrupt (SIGINT,
 * SIGTERM) stops the run between two files, so every file is either old or new, and no temporary
 * file is left behind.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { FileResult } from './driver.js';
import { encodeSource } from './source.js';

export interface WriteOutcome {
  written: string[];
  failed: { path: string; reason: string }[];
  /** Set when a signal stopped the writes before the end. */
  interrupted?: NodeJS.Signals;
}

/** Writes `bytes` over `file` atomically, keeping its mode. Throws on failure, leaving no temp file. */
export function writeAtomic(file: string, bytes: Uint8Array): void {
  const mode = statSync(file).mode & 0o7777;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.gomend-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
}

/**
 * Writes every changed file, one at a time, re-checking each against what was read. Signals
 * are handled between files only, so they stop the loop with every file either old or new.
 */
export async function writeChanges(files: FileResult[]): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], failed: [] };
  let stop: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stop = sig;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const f of files) {
      if (f.status !== 'changed' || f.after === undefined || !f.original || !f.shape) continue;
      // Let pending signals be delivered between files, never in the middle of one.
      await new Promise((resolve) => setImmediate(resolve));
      if (stop) break;
      let current: Buffer;
      try {
        current = readFileSync(f.absPath);
      } catch (err) {
        outcome.failed.push({ path: f.path, reason: `cannot re-read before writing: ${(err as NodeJS.ErrnoException).code ?? err}` });
        continue;
      }
      if (!current.equals(f.original)) {
        outcome.failed.push({ path: f.path, reason: 'changed on disk since gomend read it; not written' });
        continue;
      }
      try {
        writeAtomic(f.absPath, encodeSource(f.after, f.shape));
        outcome.written.push(f.path);
      } catch (err) {
        outcome.failed.push({ path: f.path, reason: `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (stop) outcome.interrupted = stop;
  return outcome;
}
