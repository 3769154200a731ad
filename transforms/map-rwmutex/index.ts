import type { Transform } from '../../src/types.js';

// TODO: being written; reports nothing yet.
export const mapRwmutex: Transform = {
  name: 'map-rwmutex',
  description: 'placeholder',
  run: () => [],
};
