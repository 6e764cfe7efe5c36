/**
 * Which value of the <AuthorId> key Windows' EAPHost reads as the author's name (GetMethods'
 * pwszAuthorName): the key's default value (GEANTLink's registration writes that) or "Name" (what
 * an export of Windows' own author keys shows). scripts/register-method.js writes both until this
 * says which one counts (docs/WINDOWS-CONTRACT.md, "Method registration"). Each variant is written
 * alone with reg.exe, the EapHost service restarted (it reads the Methods key when it starts),
 * and GetMethods asked. Real Windows only: the stand-in reads what this project wrote it to read.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openEapHost } from '../../lib/index';
import { methodsKey, requireWindows } from '../windows/support';

// A registration of its own, far from the shipped methods' author: an author id from RFC 5612's
// documentation range plus one, with one method of an experimental type (RFC 3748 §6.2: 255).
const AUTHOR = 32474;
const TYPE = 255;
const AUTHOR_KEY = `${methodsKey}\\${AUTHOR}`;

function reg(args: string[]): void {
  execFileSync('reg.exe', args, { stdio: 'pipe' });
}

function restartEapHost(): void {
  execFileSync('powershell.exe', ['-NoProfile', '-Command', 'Restart-Service -Name Eaphost -Force'], { stdio: 'pipe' });
}

async function reportedAuthorName(): Promise<string | undefined> {
  restartEapHost();
  const host = await openEapHost({ backend: 'windows' });
  try {
    return (await host.getMethods()).find((method) => method.authorId === AUTHOR)?.authorName;
  } finally {
    await host.close();
  }
}

describe("the author's name as Windows' EAPHost reads it", function () {
  this.timeout(120000);

  before(function () {
    requireWindows();
    reg(['add', `${AUTHOR_KEY}\\${TYPE}`, '/v', 'PeerDllPath', '/t', 'REG_EXPAND_SZ', '/d', '%SystemRoot%\\System32\\eappprxy.dll', '/f']);
    reg(['add', `${AUTHOR_KEY}\\${TYPE}`, '/v', 'PeerFriendlyName', '/t', 'REG_SZ', '/d', 'author name probe', '/f']);
    reg(['add', `${AUTHOR_KEY}\\${TYPE}`, '/v', 'Properties', '/t', 'REG_DWORD', '/d', '0', '/f']);
  });

  after(function () {
    reg(['delete', AUTHOR_KEY, '/f']);
    restartEapHost();
  });

  it('reports the name from at least one of the two places, and says which', async function () {
    const seen: Record<string, string | undefined> = {};
    for (const place of ['(Default)', 'Name']) {
      reg(['delete', AUTHOR_KEY, '/va', '/f']);
      reg(['add', AUTHOR_KEY, ...(place === '(Default)' ? ['/ve'] : ['/v', place]), '/t', 'REG_SZ', '/d', `probe ${place}`, '/f']);
      seen[place] = await reportedAuthorName();
    }
    // The record the contract document asks for: which place Windows read.
    console.log(`      author name read from: ${JSON.stringify(seen)}`);
    const read = Object.entries(seen).filter(([place, name]) => name === `probe ${place}`).map(([place]) => place);
    assert.ok(read.length > 0, `GetMethods reported neither place's name: ${JSON.stringify(seen)}`);
  });
});
