/**
 * Writing changed files safely.
 *
 * Each file is written whole or not at all: the new bytes go to a temporary file in the same
 * directory as the real file (same file system, so the rename is atomic), with the original's mode
 * and, where allowed, its owner, and are renamed over it. A symbolic link is written through, as
 * `gofmt -w` does, so the link stays a link; a file with several hard links is refused, because a
 * rename would quietly split them. Just before writing, the file is read again: if it changed since
 * gomend read it (an editor saved, a branch switched), it is left alone and reported. An interrupt
 * (SIGINT, SIGTERM, SIGHUP) stops the run between two files, so every file is either old or new,
 * and no temporary file is left behind.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { FileResult } from './results.js';
import { encodeSource } from './source.js';

export interface WriteOutcome {
  written: string[];
  failed: { path: string; reason: string }[];
  /** Set when a signal stopped the writes before the end. */
  interrupted?: NodeJS.Signals;
}

/** A file gomend declines to write, with a reason meant for users. */
class Refusal extends Error {}

/** The temporary name beside `file`: hidden (the go command and gomend skip dot files) and unique. */
function tempName(file: string): string {
  // Stay under the 255-byte name limit whatever the original name's length.
  const base = path.basename(file).slice(0, 100);
  return path.join(path.dirname(file), `.${base}.gomend-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/** Words for an errno code, for messages that users read. */
function describe(err: unknown): string {
  if (err instanceof Refusal) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it no longer exists';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return code ?? (err as Error).message ?? String(err);
  }
}

/**
 * Writes `bytes` over `file` atomically, keeping its mode (and owner when the process may set it).
 * Throws on failure, leaving the file as it was and no temporary file behind.
 */
export function writeAtomic(file: string, bytes: Uint8Array): void {
  const target = realpathSync(file);
  const st = statSync(target);
  if (!st.isFile()) throw new Refusal('not a regular file');
  if (st.nlink > 1) throw new Refusal(`it has ${st.nlink} hard links and replacing it would split them`);
  const mode = st.mode & 0o7777;
  const tmp = tempName(target);
  let fd: number | undefined;
  try {
    try {
      fd = openSync(tmp, 'wx', 0o600);
    } catch (err) {
      throw new Refusal(`cannot create a temporary file in ${path.dirname(target)}: ${describe(err)}`);
    }
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || st.gid !== process.getgid?.())) {
      try {
        fchownSync(fd, st.uid, st.gid);
      } catch {
        // Only root may give a file away; the content is what matters, so carry on.
      }
    }
    fchmodSync(fd, mode); // after chown, which may clear set-id bits
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone, or never created
    }
    throw err;
  }
}

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Writes every changed file, one at a time, re-checking each against what was read. Signals
 * are handled between files only, so they stop the loop with every file either old or new.
 */
export async function writeChanges(files: FileResult[]): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], failed: [] };
  let stop: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stop ??= sig;
  };
  for (const s of signals) process.on(s, onSignal);
  // For tests: a signal raised right after the first write, where a signal from outside would
  // depend on how fast the machine writes.
  const raise = process.env.GOMEND_RAISE_AFTER_FIRST_WRITE as NodeJS.Signals | undefined;
  // Two names for one file (a link) must not be written twice from two stale reads.
  const seen = new Map<string, string>();
  try {
    for (const f of files) {
      if (f.status !== 'changed' || f.after === undefined || !f.original || !f.shape) continue;
      // Let pending signals be delivered between files, never in the middle of one.
      await new Promise((resolve) => setImmediate(resolve));
      if (stop) break;
      let current: Buffer;
      let real: string;
      try {
        real = realpathSync(f.absPath);
        current = readFileSync(real);
      } catch (err) {
        outcome.failed.push({ path: f.path, reason: `cannot re-read before writing: ${describe(err)}; not written` });
        continue;
      }
      const twin = seen.get(real);
      if (twin !== undefined) {
        outcome.failed.push({ path: f.path, reason: `same file as ${twin} (a link), which was written already; not written again` });
        continue;
      }
      if (!current.equals(f.original)) {
        outcome.failed.push({ path: f.path, reason: 'changed on disk since gomend read it; not written' });
        continue;
      }
      try {
        writeAtomic(real, encodeSource(f.after, f.shape));
        outcome.written.push(f.path);
        seen.set(real, f.path);
        if (raise && outcome.written.length === 1 && signals.includes(raise)) process.kill(process.pid, raise);
      } catch (err) {
        outcome.failed.push({ path: f.path, reason: `cannot write: ${describe(err)}; file left as it was` });
      }
    }
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
  if (stop) outcome.interrupted = stop;
  return outcome;
}
