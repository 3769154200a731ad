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

/** A pool of started workers. */
export interface Pool {
  /**
   * Runs every task, the heaviest first (`weights`, e.g. bytes of source): a large package
   * started last would leave the other workers idle while it finishes alone. Results are still
   * recorded by task index, so the order of the output does not change.
   */
  run(tasks: DirectoryTask[], record: (index: number, outcome: DirectoryOutcome) => void, weights?: readonly number[]): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Starts `jobs` workers now. Each loads gomend and its parser as it starts (see worker.ts), so a
 * pool started before the files are found is ready when the first directory is. Workers wait for
 * messages on their event loop rather than blocking in `Atomics.wait`, so that start-up can finish
 * while they are idle.
 */
export function startPool(jobs: number): Pool {
  const pool = new Tinypool({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: jobs,
    maxThreads: jobs,
    idleTimeout: 1000,
    useAtomics: false,
  });
  return {
    async run(tasks, record, weights = []) {
      const order = tasks.map((_, i) => i).sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || a - b);
      await Promise.all(
        order.map(async (i) => {
          record(i, revive((await pool.run(tasks[i])) as DirectoryOutcome));
        }),
      );
    },
    destroy: () => pool.destroy(),
  };
}
