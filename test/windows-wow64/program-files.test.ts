/**
 * Program Files in a 32-bit process on 64-bit Windows (WOW64), where `eaphost register` keeps its
 * copies. Run alone in the official 32-bit node.exe (npm node-win-x86): by the Wine lane in a
 * 64-bit prefix (scripts/wine/wow64-chroot.sh), by windows.yml's ia32 leg on Windows, as a 32-bit
 * node.exe or Electron runs on x64 Windows. There the known-folder API refuses
 * FOLDERID_ProgramFilesX64 (Microsoft's KNOWNFOLDERID page; Wine's shell32 the same), and
 * FOLDERID_ProgramFiles names Program Files (x86), which is not where the 64-bit EapHost service's
 * copies belong. The truth it is judged against: reg.exe's ProgramFilesDir in the 64-bit and the
 * 32-bit registry views (/reg:64, /reg:32), and the variables WOW64 gives a 32-bit process
 * (PROCESSOR_ARCHITEW6432, ProgramW6432), none of which the addon reads.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copiesFolder } from '../../lib/register';
import { binding } from '../../lib/native';
import { queryRegistry, requireWindows } from '../windows/support';

const CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion';
const IMAGE_FILE_MACHINE_I386 = 0x14c;
const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
const MACHINES: Record<number, string> = {
  0: 'IMAGE_FILE_MACHINE_UNKNOWN (not WOW64)',
  [IMAGE_FILE_MACHINE_I386]: 'IMAGE_FILE_MACHINE_I386',
  [IMAGE_FILE_MACHINE_AMD64]: 'IMAGE_FILE_MACHINE_AMD64',
};
/** A machine as its raw value and its name. */
const machine = (value: number): string => `0x${value.toString(16).padStart(4, '0')} (${MACHINES[value] ?? 'another machine'})`;

/** ProgramFilesDir as reg.exe reads it in one registry view: its type and data, raw. */
function programFilesDir(view: 32 | 64): { type: string; data: string } {
  const value = queryRegistry(CURRENT_VERSION, view)?.get('ProgramFilesDir');
  assert.ok(value, `reg.exe read no ProgramFilesDir under ${CURRENT_VERSION} (/reg:${view})`);
  return value;
}

describe('Program Files in a 32-bit node.exe on 64-bit Windows (WOW64)', function () {
  before(function () {
    requireWindows();
  });

  it('runs as ia32 under WOW64 on AMD64: processMachine I386, nativeMachine AMD64', function () {
    assert.equal(process.arch, 'ia32');
    assert.equal(process.env.PROCESSOR_ARCHITEW6432, 'AMD64', 'WOW64 names the OS\'s architecture to a 32-bit process');
    const platform = binding.windowsPlatform();
    assert.equal(machine(platform.processMachine), machine(IMAGE_FILE_MACHINE_I386));
    assert.equal(machine(platform.nativeMachine), machine(IMAGE_FILE_MACHINE_AMD64));
  });

  it('reads the 64-bit Program Files from the registry\'s 64-bit view, not Program Files (x86)', function () {
    const reg64 = programFilesDir(64);
    const reg32 = programFilesDir(32);
    const platform = binding.windowsPlatform();
    // The evidence, raw beside decoded, in the lane's log.
    console.log(`      processMachine ${machine(platform.processMachine)}, nativeMachine ${machine(platform.nativeMachine)}; ` +
      `ProgramFilesDir /reg:64 ${reg64.type} "${reg64.data}", /reg:32 ${reg32.type} "${reg32.data}"; ` +
      `windowsPlatform().programFiles "${platform.programFiles}"`);
    // A 64-bit Windows: the two views differ, the 64-bit one is Program Files.
    assert.deepEqual(reg64, { type: 'REG_SZ', data: 'C:\\Program Files' });
    assert.deepEqual(reg32, { type: 'REG_SZ', data: 'C:\\Program Files (x86)' });
    assert.equal(process.env.ProgramFiles, reg32.data, 'a 32-bit process\'s %ProgramFiles% is the 32-bit folder');
    assert.equal(process.env.ProgramW6432, reg64.data);
    assert.equal(platform.programFiles, reg64.data);
    assert.ok(fs.statSync(platform.programFiles).isDirectory(), `${platform.programFiles} is a folder`);
  });

  it('puts register\'s copies under the 64-bit Program Files, whatever ProgramFiles and ProgramW6432 say', function () {
    const saved = { ProgramW6432: process.env.ProgramW6432, ProgramFiles: process.env.ProgramFiles };
    try {
      process.env.ProgramW6432 = process.env.ProgramFiles = 'C:\\users\\public\\elsewhere';
      assert.equal(copiesFolder(), path.win32.join(programFilesDir(64).data, 'eaphost'));
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
