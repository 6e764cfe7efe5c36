/**
 * What a Windows PE file (a method DLL, an addon .node) says about itself: the machine it was
 * built for (IMAGE_FILE_HEADER.Machine), the DLLs it imports and the DLLs it delay-loads. Read
 * from the bytes, so it runs anywhere and on cross-built files too: `eaphost register` refuses a
 * module of another machine than the OS's and copies the DLLs it loads from beside it, and
 * scripts/dev/pe-info.js (prebuilds, workflows) prints the same reading.
 */

/** IMAGE_FILE_MACHINE_* → process.arch's name. */
export const PE_MACHINES: Readonly<Record<number, 'ia32' | 'x64' | 'arm64'>> = Object.freeze({
  0x14c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64',
});

export interface PeImage {
  /** IMAGE_FILE_HEADER.Machine. */
  machine: number;
  imports: string[];
  delayImports: string[];
}

/** Reads `bytes`; throws an Error naming `file` and what is wrong with anything that is not a PE image. */
export function readPeImage(bytes: Buffer, file: string): PeImage {
  const fail = (why: string): never => { throw new Error(`${file}: ${why}`); };
  const u16 = (at: number): number => (at + 2 <= bytes.length ? bytes.readUInt16LE(at) : fail('truncated'));
  const u32 = (at: number): number => (at + 4 <= bytes.length ? bytes.readUInt32LE(at) : fail('truncated'));
  if (bytes.length < 0x40 || u16(0) !== 0x5a4d) fail('not an MZ executable');
  const pe = u32(0x3c);
  if (pe + 24 > bytes.length || u32(pe) !== 0x4550) fail('no PE signature');
  const machine = u16(pe + 4);
  const sectionCount = u16(pe + 6);
  const optional = pe + 24;
  const magic = u16(optional);
  if (magic !== 0x10b && magic !== 0x20b) fail(`unknown optional-header magic 0x${magic.toString(16)}`);
  const pe32plus = magic === 0x20b;
  const imageBase = pe32plus ? Number(bytes.readBigUInt64LE(optional + 24)) : u32(optional + 28);
  const directories = optional + (pe32plus ? 112 : 96);
  const directoryCount = u32(optional + (pe32plus ? 108 : 92));

  const sections: Array<{ rva: number; size: number; raw: number }> = [];
  for (let i = 0, at = optional + u16(pe + 20); i < sectionCount; i++, at += 40) {
    sections.push({ rva: u32(at + 12), size: Math.max(u32(at + 8), u32(at + 16)), raw: u32(at + 20) });
  }
  const offsetOf = (rva: number): number => {
    const section = sections.find((s) => rva >= s.rva && rva < s.rva + s.size);
    return section ? rva - section.rva + section.raw : fail(`RVA 0x${rva.toString(16)} is in no section`);
  };
  const name = (offset: number): string => {
    const end = bytes.indexOf(0, offset);
    if (end < 0 || end - offset > 260) fail('unterminated name');
    return bytes.toString('latin1', offset, end);
  };

  // The import directory (1): 20-byte descriptors up to a null one, the DLL's name at +12.
  const imports: string[] = [];
  const importRva = directoryCount > 1 ? u32(directories + 8) : 0;
  if (importRva !== 0) {
    for (let at = offsetOf(importRva); at + 20 <= bytes.length; at += 20) {
      const nameRva = u32(at + 12);
      if (nameRva === 0) break;
      imports.push(name(offsetOf(nameRva)));
    }
  }

  // The delay-import directory (13): 32-byte descriptors, the name at +4.
  const delayImports: string[] = [];
  const delayRva = directoryCount > 13 ? u32(directories + 13 * 8) : 0;
  if (delayRva !== 0) {
    const size = u32(directories + 13 * 8 + 4);
    const start = offsetOf(delayRva);
    // The table ends at a null descriptor or at the directory's size, whichever comes first.
    const end = Math.min(bytes.length, size > 0 ? start + size : bytes.length);
    for (let at = start; at + 32 <= end; at += 32) {
      const attributes = u32(at);
      const nameField = u32(at + 4);
      if (nameField === 0) break;
      // Attribute bit 0 set: fields are RVAs (every current linker); clear: virtual addresses.
      delayImports.push(name(offsetOf(attributes & 1 ? nameField : nameField - imageBase)));
    }
  }
  return { machine, imports, delayImports };
}
