/**
 * A one-line progress report on stderr for long runs: files done of total, fixes so far. Only on a
 * terminal, only after the run has taken a second (short runs stay quiet), and erased at the end,
 * so logs and pipes never see it.
 */
export interface Progress {
  update(done: number, total: number, fixes: number): void;
  clear(): void;
}

export function progressOn(stream: NodeJS.WriteStream, enabled = !!stream.isTTY): Progress {
  const started = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(done, total, fixes) {
      if (!enabled) return;
      const now = Date.now();
      if (now - started < 1000 || (now - last < 100 && done < total)) return;
      last = now;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files, ${fixes} fix${fixes === 1 ? '' : 'es'}\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
