/**
 * The RadSec listener's saved list of network prefixes whose connections authenticated
 * (admission.ts ranks theirs above unknown ones): one prefix a line, as the admission writes
 * it. Read once when the listener is made, through the bounded reader; rewritten whole (a file
 * beside it, then renamed over it) when a prefix is added, one write at a time, the last list
 * winning. A line that is not a prefix is refused, naming the file and the line.
 */
import { rename, writeFile } from 'node:fs/promises';
import { readFileBounded } from '../../core/file-read';
import { optionError } from '../../core/option-error';
import { REMEMBERED_PREFIXES, isPrefix } from './admission';

/** The longest line (an IPv6 /56: four groups of four, "::/56") and its newline, for every prefix remembered. */
const MAX_FILE_BYTES = REMEMBERED_PREFIXES * 26;

export class KnownPrefixesFile {
  private writing: Promise<void> | undefined;
  private next: string[] | undefined;

  constructor(private readonly file: string) {}

  /** The prefixes saved; none when the file does not exist yet. A RangeError for one that cannot be read or is not such a list. */
  read(): string[] {
    let text: string;
    try {
      text = readFileBounded(this.file, MAX_FILE_BYTES).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      throw optionError('range', 'radsec.knownPrefixesFile', `${this.file}: cannot read it (${code ?? (error as Error).message})`);
    }
    const prefixes: string[] = [];
    for (const [i, line] of text.split('\n').entries()) {
      const prefix = line.trim();
      if (prefix === '') continue;
      if (!isPrefix(prefix)) {
        throw optionError('range', 'radsec.knownPrefixesFile', `${this.file} line ${i + 1}: not a /24 or /56 prefix as the listener writes them`);
      }
      prefixes.push(prefix);
    }
    return prefixes;
  }

  /** Writes `prefixes` (after a write under way, if any); a failure is a process warning, the listener goes on. */
  save(prefixes: string[]): void {
    this.next = prefixes;
    if (this.writing) return;
    const drain = async (): Promise<void> => {
      while (this.next !== undefined) {
        const list = this.next;
        this.next = undefined;
        const temporary = `${this.file}.${process.pid}.tmp`;
        try {
          await writeFile(temporary, list.map((prefix) => `${prefix}\n`).join(''), { mode: 0o600 });
          await rename(temporary, this.file);
        } catch (error) {
          process.emitWarning(`RadSec known prefixes not saved to ${this.file}: ${(error as Error).message}`);
        }
      }
      this.writing = undefined;
    };
    this.writing = drain();
  }

  /** Resolves once every list given to save() is written. */
  async saved(): Promise<void> {
    await this.writing;
  }
}
