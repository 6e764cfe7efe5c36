/** The repository's root and throw-away directories for tests that build or scan a small tree. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root, from dist/test/… or dist/test/support/…. */
export const repoRoot = path.resolve(__dirname, ...(path.basename(__dirname) === 'support' ? ['..', '..', '..'] : ['..', '..']));

/** Runs `body` with a fresh directory under the OS temp dir, removed afterwards whatever happens. */
export function inScratchDir<T>(prefix: string, body: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
