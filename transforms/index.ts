/**
 * The registry of built-in transforms, alphabetical. Adding a transform is one line here plus its
 * folder under transforms/ and fixtures/ (see README, "Writing a transform").
 */
import type { AnyTransform } from '../src/types.js';
import { anyMapSplit } from './any-map-split/index.js';
import { goroutineSubslice } from './goroutine-subslice/index.js';
import { loopvarCapture } from './loopvar-capture/index.js';
import { mapClone } from './map-clone/index.js';
import { mapRwmutex } from './map-rwmutex/index.js';
import { mapValueAppend } from './map-value-append/index.js';
import { poolEscape } from './pool-escape/index.js';

export const transforms: readonly AnyTransform[] = [anyMapSplit, goroutineSubslice, loopvarCapture, mapClone, mapRwmutex, mapValueAppend, poolEscape];

/** Looks a built-in transform up by name. */
export function transformByName(name: string): AnyTransform | undefined {
  return transforms.find((t) => t.name === name);
}
