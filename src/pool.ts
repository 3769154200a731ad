/**
 * Spreading directories over worker threads (tinypool), one result stream back to the main
 * thread. Results are stored by directory index, so the output order is the same whatever the
 * scheduling. Each worker has its own tree-sitter instance and frees its trees as it goes.
 */
import Tinypool from 'tinypool';
import type { DirectoryOutcome } from './results.js';
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
   * recorded by task index, so the order of the output does not change. `redone`: the indices
   * of the tasks a worker could not finish, done again in this thread.
   */
  run(
    tasks: DirectoryTask[],
    record: (index: number, outcome: DirectoryOutcome) => void,
    weights: readonly number[],
    inProcess: (index: number) => Promise<DirectoryOutcome>,
  ): Promise<{ redone: number[] }>;
  /** The old-generation limit of each worker, in MB, for the note on directories redone. */
  heapLimitMb: number;
  destroy(): Promise<void>;
}

/**
 * Old-generation heap of a worker, in MB. A directory's work keeps some tens of MB alive, but V8
 * lets an unbounded heap grow to several times that between collections, and with a worker per
 * core that decided the run's peak memory. A directory that needs more than this stops its
 * worker with an out-of-memory error and is done again in the main thread, which has no limit:
 * all its work until then is lost. At 128 MB that was nats-server's `server` package (12 MB of Go
 * analysed whole by map-rwmutex and any-map-split; ~250 MB live), which then took twice its time;
 * at 384 MB it fits, and over Go's own source the peak RSS of a run is the same as at 128 MB
 * (222 MB and 232 MB in alternating runs of each), since a heap grows with what it keeps alive.
 * (`GOMEND_WORKER_HEAP_MB` sets another limit, for tests of that path.)
 */
const WORKER_HEAP_MB = Number(process.env.GOMEND_WORKER_HEAP_MB) || 384;

/**
 * Young generation of a worker, in MB. V8's default let each worker's young generation grow to
 * about 48 MB; at 16 MB a run over Go's source peaked ~25 MB lower per worker with no measurable
 * change in time (interleaved runs: 5.36 s against 5.39 s median).
 */
const WORKER_YOUNG_MB = 16;

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
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  // A worker that runs out of memory between tasks is replaced; its task, if any, is redone below.
  pool.on('error', (err: NodeJS.ErrnoException) => {
    if (err?.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
  });
  return {
    async run(tasks, record, weights, inProcess) {
      const order = tasks.map((_, i) => i).sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || a - b);
      const redo: number[] = [];
      // Workers that cannot even start (a heap limit below what loading gomend takes) leave no
      // thread and no pending event: without this watch the process would exit as if done.
      let died!: () => void;
      const poolDied = new Promise<'died'>((resolve) => (died = () => resolve('died')));
      let empty = 0;
      const watch = setInterval(() => {
        empty = pool.threads.length === 0 ? empty + 1 : 0;
        if (empty >= 2) died();
      }, 250);
      try {
        await Promise.all(
          order.map(async (i) => {
            let outcome: DirectoryOutcome | 'died';
            try {
              outcome = (await Promise.race([pool.run(tasks[i]), poolDied])) as DirectoryOutcome | 'died';
            } catch (err) {
              if ((err as NodeJS.ErrnoException)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
              outcome = 'died';
            }
            if (outcome === 'died') redo.push(i);
            else record(i, revive(outcome));
          }),
        );
      } finally {
        clearInterval(watch);
      }
      // One at a time, after the workers are done: these are the directories too large for them.
      redo.sort((a, b) => a - b);
      for (const i of redo) record(i, await inProcess(i));
      return { redone: redo };
    },
    heapLimitMb: WORKER_HEAP_MB,
    destroy: () => pool.destroy(),
  };
}
