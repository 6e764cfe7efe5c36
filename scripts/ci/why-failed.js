#!/usr/bin/env node
// why-failed.js LOG: a failed lane's account, short enough that the tail of a CI log holds all of
// it (test-all.sh prints it last, after every lane's whole output). In the log's order:
//   - each test's error as it happened (test/support/failures-as-they-happen.ts: "[failed now]",
//     up to the blank line that ends it, cut to 16 lines), and each failed check of a lane
//     script's own ("  ✘ ", scripts/wine/node-check.sh) with what it saw;
//   - each mocha summary's "N failing" with each entry's title and error message (6 lines at most,
//     up to its stack);
//   - each line a lane's own script gives up with ("wine lane: ...", "lane-watchdog: ...", a
//     step's "could not ..."): lines that start in the first column, where test output never does;
// then the log's last 12 lines. At most 110 lines in all: the blocks first, cut where needed, the
// last lines always.
'use strict';
const fs = require('fs');

const BLOCK_LINES = 16;
const ENTRY_LINES = 6;
const TAIL_LINES = 12;
const MAX_LINES = 110;

/** A block cut to BLOCK_LINES, saying how much it left out. */
function cut(block) {
  return block.length > BLOCK_LINES ? [...block.slice(0, BLOCK_LINES), `  (${block.length - BLOCK_LINES} more lines)`] : block;
}

function account(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('[failed now] ')) {
      let end = i + 1;
      while (end < lines.length && lines[end].trim() !== '') end++;
      blocks.push(cut(lines.slice(i, end)));
      i = end;
    } else if (/^ {2}✘ /.test(line)) {
      // A check of a lane script's own (node-check.sh): its mark, then what it saw, indented.
      let end = i + 1;
      while (end < lines.length && lines[end].startsWith('      ')) end++;
      blocks.push(cut(lines.slice(i, end)));
      i = end - 1;
    } else if (/^ {2}\d+ failing\b/.test(line)) {
      // Mocha's list: each entry's title and the start of its error (a hook's failure has no
      // "[failed now]" of its own: the hook that reports one runs after a test, not after a hook).
      const block = [line.trim()];
      let entry = 0;
      for (let j = i + 1; j < lines.length && !/^ {2}\d+ (passing|failing)\b/.test(lines[j]) && !/^\S/.test(lines[j]); j++) {
        if (/^ {2}\d+\) /.test(lines[j])) entry = 1;
        else if (/^\s+at /.test(lines[j])) entry = 0;
        if (entry > 0 && entry <= ENTRY_LINES && lines[j].trim() !== '') {
          block.push(lines[j]);
          entry++;
        }
      }
      blocks.push(block);
    } else if (/^(wine lane|lane-watchdog|[\w(][\w .()-]*): .*(could not|failed|refused|not found|gave up|stopped)/i.test(line)) {
      blocks.push([line]);
    }
  }
  const tail = lines.slice(Math.max(0, lines.length - TAIL_LINES));
  const out = [];
  const room = MAX_LINES - tail.length - 2;
  for (const [index, block] of blocks.entries()) {
    if (out.length + block.length > room) {
      out.push(`(${blocks.length - index} more of the lane's failure lines left out: its whole log is printed above)`);
      break;
    }
    out.push(...block);
  }
  if (out.length === 0) out.push('(no failing test and no line saying why: the lane\'s last lines follow)');
  return [...out, `-- the lane's last ${tail.length} lines --`, ...tail].join('\n');
}

if (require.main === module) {
  const [logPath] = process.argv.slice(2);
  if (!logPath) {
    console.error('usage: why-failed.js LOG');
    process.exit(2);
  }
  let text = '';
  try {
    text = fs.readFileSync(logPath, 'utf8');
  } catch (error) {
    console.log(`(the lane's log could not be read: ${error.code ?? error.message})`);
    process.exit(0);
  }
  console.log(account(text));
}

module.exports = { account };
