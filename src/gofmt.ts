/**
 * Verification with gofmt, the arbiter of what Go source looks like.
 *
 * Every file gomend changes is piped through gofmt: gofmt must accept it, and when the original was
 * gofmt-clean the result must equal gofmt's output, or (for transforms with `layout: 'gofmt'`) is
 * replaced by it, so gomend never leaves formatting work behind.
 * gofmt is found on PATH, else under `go env GOROOT`. When neither exists the caller says so once
 * and skips this check; it never claims a file was verified when it was not.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

let located: Promise<string | undefined> | undefined;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The gofmt binary to use, or undefined when there is none. Looked up once per process. */
export function findGofmt(): Promise<string | undefined> {
  if (!located) {
    located = new Promise((resolve) => {
      const direct = process.env.GOMEND_GOFMT ?? onPath('gofmt');
      if (direct) return resolve(direct === 'none' ? undefined : direct);
      const go = onPath('go');
      if (!go) return resolve(undefined);
      execFile(go, ['env', 'GOROOT'], (err, stdout) => {
        const candidate = err ? '' : path.join(stdout.trim(), 'bin', 'gofmt');
        resolve(candidate && existsSync(candidate) ? candidate : undefined);
      });
    });
  }
  return located;
}

export interface GofmtResult {
  ok: boolean;
  /** gofmt's output when ok. */
  formatted: string;
  /** gofmt's complaint when not ok. */
  error: string;
}

/** Pipes `source` through gofmt. */
export function gofmt(binary: string, source: string): Promise<GofmtResult> {
  return new Promise((resolve) => {
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => resolve({ ok: false, formatted: '', error: e.message }));
    child.on('close', (code) => {
      const error = Buffer.concat(err).toString('utf8').replace(/<standard input>:/g, '').trim();
      resolve({ ok: code === 0, formatted: Buffer.concat(out).toString('utf8'), error });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(source);
  });
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** The text to write for a planned file, or why it cannot be written. */
export type Layout = { ok: true; text: string } | { ok: false; reason: string };

/**
 * The text to write for a planned file. gofmt must accept `after`. Where `before` was gofmt-clean,
 * with `layout` the output is gofmt's print of `after` (the fixes are plain edits: gofmt does the
 * alignment, the re-padding of neighbouring lines and the one-line function bodies, so the output
 * is exactly what gofmt prints, and every line gofmt need not touch stays byte for byte, a clean
 * file being gofmt's fixed point); without it, `after` must be gofmt-clean itself. A file that was
 * not gofmt-clean keeps the edits as they are: gofmt would reformat what its author left alone.
 */
export async function layoutWithGofmt(binary: string, before: string, after: string, layout: boolean): Promise<Layout> {
  const [b, a] = await Promise.all([gofmt(binary, before), gofmt(binary, after)]);
  if (!a.ok) return { ok: false, reason: `gofmt rejects the result: ${a.error.split('\n')[0]}` };
  if (!b.ok || b.formatted !== before || a.formatted === after) return { ok: true, text: after };
  return layout ? { ok: true, text: a.formatted } : { ok: false, reason: 'the result is not gofmt-clean though the original was' };
}

/**
 * Finishes every planned output of a package (see `layoutWithGofmt`; `layout` says which files are
 * laid out by gofmt) in place: `outputs` then holds what is to be written. Returns the files that
 * fail, with the reason; they are left in `outputs` as they were.
 */
export async function layoutOutputs(binary: string, outputs: Map<string, string>, before: (path: string) => string, layout: (path: string) => boolean): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  for (const [p, text] of outputs) {
    const laid = await layoutWithGofmt(binary, before(p), text, layout(p));
    if (!laid.ok) failed.set(p, laid.reason);
    else if (laid.text === before(p)) outputs.delete(p);
    else if (laid.text !== text) outputs.set(p, laid.text);
  }
  return failed;
}

/**
 * Checks a rewrite: gofmt must accept `after`; when `before` was gofmt-clean, `after` must be too,
 * unless it is to be laid out by gofmt (`layout`).
 */
export async function verifyWithGofmt(binary: string, before: string, after: string, layout = false): Promise<Verdict> {
  const laid = await layoutWithGofmt(binary, before, after, layout);
  return laid.ok ? { ok: true } : laid;
}
