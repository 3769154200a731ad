import type { Transform } from '../../src/types.js';

// TODO: being written; reports nothing yet.
export const anyMapSplit: Transform = {
  name: 'any-map-split',
  description: 'placeholder',
  run: () => [],
};
