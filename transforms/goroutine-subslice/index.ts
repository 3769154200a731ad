import type { Transform } from '../../src/types.js';

// TODO: being written; reports nothing yet.
export const goroutineSubslice: Transform = {
  name: 'goroutine-subslice',
  description: 'placeholder',
  run: () => [],
};
