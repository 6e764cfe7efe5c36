/**
 * Which value of the <AuthorId> key Windows' EAPHost reads as the author's name (GetMethods'
 * pwszAuthorName): the key's default value (GEANTLink's registration writes that) or "Name" (what
 * an export of Windows' own author keys shows). `eaphost register` writes both until this says
 * which one counts (docs/WINDOWS-CONTRACT.md, "Method registration"). The probe is a complete
 * method, written by register's own writer: the shipped module's protected copy (registered before
 * this file runs) as its PeerDllPath, its friendly name, Properties, and the two dialog values
 * EAPHost requires of a peer method. Then each place of the author's name is written alone, the
 * EapHost service restarted (it reads the Methods key when it starts), and GetMethods asked. Real
 * Windows only: the stand-in reads what this project wrote it to read.
 */
import * as assert from 'node:assert/strict';
import { writeMethod } from '../../lib/register/methods-key';
import { withServiceRestarted } from '../../lib/register/service';
import { openEapHost } from '../../lib/index';
import { EAPHOST_AUTHOR_ID } from '../../lib/session/builtin';
import { binding } from '../../lib/native';
import { methodRegistration, methodsKey, requireWindows } from '../windows/support';

// A registration of its own, far from the shipped methods' author: an author id from RFC 5612's
// documentation range plus one, with one method of an experimental type (RFC 3748 §6.2: 255).
const AUTHOR = 32474;
const TYPE = 255;
const AUTHOR_KEY = `${methodsKey}\\${AUTHOR}`;

// Its running dependents (Wired AutoConfig) stopped first and started after, through the SCM:
// Restart-Service -Force would drop their sessions, without -Force it fails with 1051.
function restartEapHost(): void {
  withServiceRestarted(() => undefined, () => undefined);
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
    const shipped = methodRegistration(`${methodsKey}\\${EAPHOST_AUTHOR_ID}\\4`)?.get('PeerDllPath');
    assert.ok(shipped && 'data' in shipped, 'eaphost register --shipped must have run before this file');
    writeMethod({ type: TYPE, author: AUTHOR, name: 'author name probe', properties: 0, authorName: 'probe' },
      String(shipped.data), { peer: true, authenticator: false });
    const written = methodRegistration(`${AUTHOR_KEY}\\${TYPE}`);
    for (const value of ['PeerDllPath', 'PeerFriendlyName', 'PeerInvokeUsernameDialog', 'PeerInvokePasswordDialog', 'Properties']) {
      assert.ok(written?.has(value), `the probe lacks ${value}`);
    }
  });

  after(function () {
    binding.registryDelete({ key: `${AUTHOR_KEY}\\${TYPE}` });
    binding.registryDelete({ key: AUTHOR_KEY });
    restartEapHost();
  });

  it('reports the name from at least one of the two places, and says which', async function () {
    const seen: Record<string, string | undefined> = {};
    for (const place of ['(Default)', 'Name']) {
      binding.registryDelete({ key: AUTHOR_KEY, values: ['', 'Name'] });
      binding.registryWrite({ key: AUTHOR_KEY, values: [{ name: place === '(Default)' ? '' : place, type: 'sz', data: `probe ${place}` }] });
      seen[place] = await reportedAuthorName();
    }
    // The record the contract document asks for: which place Windows read.
    console.log(`      author name read from: ${JSON.stringify(seen)}`);
    const read = Object.entries(seen).filter(([place, name]) => name === `probe ${place}`).map(([place]) => place);
    assert.ok(read.length > 0, `GetMethods reported neither place's name: ${JSON.stringify(seen)}`);
  });
});
