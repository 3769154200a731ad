/**
 * The shared model of the package being analysed, found from the package view the analysis runs
 * on (index.ts registers it once per pass).
 */
import type { Package } from '../../src/types.js';
import type { Model } from '../../src/go/model.js';

const models = new WeakMap<Package, Model>();

export function setModel(pkg: Package, model: Model): void {
  models.set(pkg, model);
}

export function modelOf(pkg: Package): Model | undefined {
  return models.get(pkg);
}
