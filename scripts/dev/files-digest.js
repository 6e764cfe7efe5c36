// One digest of a set of files by path and contents (never by time), for whatever must know
// whether its inputs changed: a prebuild's manifest (scripts/dev/prebuild.js) and the record of
// what dist/ was built from (scripts/dev/dist-stamp.js).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/**
 * SHA-256 (hex) of `seed`, then of each file under `inputs` (files, or folders walked in name
 * order) that `include(relative path)` accepts: its path relative to `base`, NUL, its bytes, NUL.
 * An input that does not exist adds nothing, so adding, removing, renaming or editing a file
 * each give another digest.
 */
function filesDigest(base, inputs, { seed = '', include = () => true } = {}) {
  const hash = crypto.createHash('sha256').update(seed);
  const add = (file) => {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      if (error.code === 'ENOENT') return;
      throw error;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) add(path.join(file, name));
      return;
    }
    const rel = path.relative(base, file).split(path.sep).join('/');
    if (include(rel)) hash.update(rel).update('\0').update(fs.readFileSync(file)).update('\0');
  };
  for (const input of inputs) add(path.resolve(base, input));
  return hash.digest('hex');
}

module.exports = { filesDigest };
