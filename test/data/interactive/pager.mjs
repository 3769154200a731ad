// A scripted $PAGER for the tests of `gomend -i`: copies what it is given on stdin to $PAGE_LOG
// (appending) and says on the terminal how many lines it showed.
import { appendFileSync, readFileSync } from 'node:fs';

const text = readFileSync(0, 'utf8');
appendFileSync(process.env.PAGE_LOG, `${text}\n=== end of page ===\n`);
process.stdout.write(`[pager showed ${text.split('\n').length} lines]\n`);
