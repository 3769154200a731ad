/**
 * The terminal side of `gomend -i`: single keypresses in raw mode, and a terminal that is always
 * given back the way it was found.
 *
 * Raw mode is on for the whole session, so a key answers without Enter and Ctrl-C arrives as a byte
 * rather than a signal; it is turned off for the editor, on any signal (SIGINT, SIGTERM, SIGHUP) and
 * in `close`, which the caller runs in a `finally`. A key only answers a prompt the user has seen:
 * bytes that arrive while no prompt is waiting (typed ahead during planning, the rest of a pasted
 * chunk) are dropped, so nothing is ever applied blind.
 */
import type { ReadStream } from 'node:tty';

/** What ended a wait for a key besides a key: Ctrl-C or a signal, or Ctrl-D. */
export type Interrupt = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export interface Terminal {
  /** The next key pressed after this call (lower-cased), `eof` for Ctrl-D, `interrupt` once interrupted. */
  key(): Promise<string>;
  /** Set by Ctrl-C or a signal; the session then stops asking. */
  readonly interrupted: Interrupt | undefined;
  /** Gives the terminal to a child process (cooked mode, not reading) and takes it back after `fn`. */
  handOver<T>(fn: () => T): T;
  /** Restores cooked mode and stops reading. Safe to call more than once. */
  close(): void;
}

const SIGNALS: Interrupt[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Turns raw mode off without throwing: the terminal may already be gone (SIGHUP). */
function cooked(stdin: ReadStream): void {
  try {
    if (stdin.isTTY) stdin.setRawMode(false);
  } catch {
    // the terminal was closed under us; nothing left to restore
  }
}

/**
 * The first answer in a chunk of input: `undefined` when the chunk answers nothing (Enter alone, an
 * escape sequence such as an arrow key).
 */
export function keyOf(chunk: string): string | undefined {
  if (chunk.startsWith('\x1b')) return undefined;
  for (const ch of chunk) {
    if (ch === '\r' || ch === '\n') continue;
    if (ch === '\x04') return 'eof';
    return ch.toLowerCase();
  }
  return undefined;
}

/** Puts `stdin` in raw mode and starts listening for keys, Ctrl-C and signals. */
export function openTerminal(stdin: ReadStream, onInterrupt?: (why: Interrupt) => void): Terminal {
  let waiter: ((key: string) => void) | undefined;
  let interrupted: Interrupt | undefined;
  let closed = false;

  const interrupt = (why: Interrupt) => {
    if (!interrupted) {
      interrupted = why;
      // Give the terminal back at once: what follows (writing files) may take a while, and a second
      // Ctrl-C must then be a real SIGINT that the writer honours between files.
      cooked(stdin);
      onInterrupt?.(why);
    }
    const w = waiter;
    waiter = undefined;
    w?.('interrupt');
  };
  const onData = (chunk: Buffer | string) => {
    const text = chunk.toString();
    if (text.includes('\x03')) return interrupt('SIGINT');
    if (!waiter) return;
    const key = keyOf(text);
    if (key === undefined) return;
    const w = waiter;
    waiter = undefined;
    w(key);
  };
  const onSignal = (sig: NodeJS.Signals) => interrupt(sig as Interrupt);

  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  for (const sig of SIGNALS) process.on(sig, onSignal);

  return {
    get interrupted() {
      return interrupted;
    },
    key() {
      if (interrupted || closed) return Promise.resolve('interrupt');
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    handOver(fn) {
      cooked(stdin);
      stdin.pause();
      try {
        return fn();
      } finally {
        if (!closed && !interrupted) {
          stdin.setRawMode(true);
          stdin.resume();
        }
      }
    },
    close() {
      if (closed) return;
      closed = true;
      cooked(stdin);
      stdin.off('data', onData);
      stdin.pause();
      for (const sig of SIGNALS) process.off(sig, onSignal);
      const w = waiter;
      waiter = undefined;
      w?.('interrupt');
    },
  };
}
