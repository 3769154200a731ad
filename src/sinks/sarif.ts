/**
 * `--format sarif`: SARIF 2.1.0 for code scanning.
 * TODO: being written; until then the document has the run and no results.
 */
import type { RunResult } from '../driver.js';
import type { Transform } from '../types.js';

export function sarifReport(result: RunResult, transforms: readonly Transform[]): object {
  void result;
  void transforms;
  return { version: '2.1.0', runs: [] };
}
