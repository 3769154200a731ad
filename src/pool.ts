/**
 * Spreading directories over worker threads (tinypool), one result stream back to the main
 * thread. Results are stored by directory index, so the output order is the same whatever the
 * scheduling. Each worker has its own tree-sitter instance and frees its trees as it goes.
 */
import Tinypool from 'tinypool';
import type { DirectoryOutcome } from './driver.js';
import type { DirectoryTask } from './worker.js';

/** Buffers come back from a worker as plain Uint8Arrays; the writer and diff want Buffers. */
function revive(outcome: DirectoryOutcome): DirectoryOutcome {
  for (const f of outcome.files) {
    if (f.original && !Buffer.isBuffer(f.original)) {
      const u8 = f.original as Uint8Array;
      f.original = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    }
  }
  return outcome;
}

export async function runInPool(tasks: DirectoryTask[], jobs: number, record: (index: number, outcome: DirectoryOutcome) => void): Promise<void> {
  const pool = new Tinypool({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: Math.min(jobs, tasks.length),
    maxThreads: Math.min(jobs, tasks.length),
    idleTimeout: 1000,
  });
  try {
    await Promise.all(
      tasks.map(async (task, i) => {
        record(i, revive((await pool.run(task)) as DirectoryOutcome));
      }),
    );
  } finally {
    await pool.destroy();
  }
}
