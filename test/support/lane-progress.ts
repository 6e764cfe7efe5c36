/**
 * A mocha root-hook plugin: with EAPHOST_LANE_PROGRESS=FILE, every finished test marks FILE (its
 * modification time, and one byte more), which the lane's watchdog (scripts/ci/lane-watchdog.sh)
 * reads as progress. A lane whose tests keep finishing is never taken for a hung one, however slow
 * the machine; one in which nothing finishes, prints or computes for the watchdog's idle time is.
 * Under Wine the lane passes the same file as a Windows path (scripts/wine/run.sh); a path written
 * for the other platform is left alone rather than made somewhere else.
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

function progressFile(): string | undefined {
  const file = process.env.EAPHOST_LANE_PROGRESS;
  if (file === undefined || file === '' || !isAbsolute(file)) return undefined;
  if (process.platform === 'win32' && file.startsWith('/')) return undefined;
  return file;
}

export const mochaHooks = {
  afterEach(): void {
    const file = progressFile();
    if (file === undefined) return;
    try {
      appendFileSync(file, '.');
    } catch {
      // The lane's folder is gone (the lane is ending): nothing left to tell.
    }
  },
};
