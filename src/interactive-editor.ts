/**
 * Running the user's editor on a temporary file, the way git does: `$EDITOR` (falling back to `vi`)
 * is a shell command line, so `EDITOR="code --wait"` works, and the file name is passed as `$1`
 * rather than pasted into the command, so no path needs quoting. The temporary directory is private
 * (mkdtemp) and always removed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type EditorResult = { ok: true; text: string } | { ok: false; reason: string };

/** The editor command line: `$EDITOR`, else `vi`. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  const e = env.EDITOR?.trim();
  return e ? e : 'vi';
}

/**
 * Opens `text` in the editor as a file named `name` and returns what was saved. The editor inherits
 * the terminal; `run` wraps the call so the caller can hand the terminal over and take it back.
 */
export function editText(text: string, name: string, run: <T>(fn: () => T) => T = (fn) => fn()): EditorResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-edit-'));
  const file = path.join(dir, path.basename(name));
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const editor = editorCommand();
    const res = run(() => spawnSync('/bin/sh', ['-c', `${editor} "$1"`, editor, file], { stdio: 'inherit' }));
    if (res.error) return { ok: false, reason: `cannot run the editor (${editor}): ${res.error.message}` };
    if (res.status !== 0) {
      return { ok: false, reason: `the editor (${editor}) ${res.signal ? `was killed by ${res.signal}` : `exited with status ${res.status}`}; edit not used` };
    }
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (err) {
    return { ok: false, reason: `cannot edit the hunk: ${(err as Error).message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
