/**
 * A wired interface with a localized name, through the API, in the real Windows node.exe under
 * Wine. Wine names its adapters after the Unix interfaces (GetAdaptersAddresses' FriendlyName), so
 * a veth pair named 以太网 and 이더넷 (the Simplified Chinese and Korean Windows' default names; the
 * Japanese イーサネット is 18 bytes in UTF-8, past Linux's 15-byte limit) in a network namespace this
 * test makes and removes is what Windows shows on those systems. node.exe runs in the namespace
 * with the prefix's wineserver stopped first (Wine's network stack lives in the server's
 * namespace) and again after. The truth the GUID is checked against is Linux's own: Wine builds
 * an adapter's GUID from its ifindex ({0000000N-0000-0000-0000-4E6574446576}, "NetDev"), and
 * `ip -j link` says which ifindex each name has.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runWineNode } from '../support/wine-node';

/** Stops the prefix's wineserver and waits for it to go; `-k` exits 1 when none runs, which is fine. */
const stopWineServer = (): void => {
  spawnSync('wineserver', ['-k'], { env: process.env, stdio: 'ignore' });
  execFileSync('wineserver', ['-w'], { env: process.env, stdio: 'ignore' });
};

const probe = `
  const { binding } = require('./dist/lib/native');
  const { adapterNamed, recordGuid } = require('./dist/lib/profile/connect/wired-interface');
  const adapters = binding.networkAdapters();
  const found = (name) => { const a = adapterNamed(adapters, name); return a ? recordGuid(a) : null; };
  console.log('RESULT ' + JSON.stringify({ adapters, cn: found('以太网'), kr: found('이더넷'), lo: found('LO'), none: found('Ethernet') }));
`;

describe('wired connect under Wine: a localized adapter name to its GUID through GetAdaptersAddresses', function () {
  this.timeout(180_000);
  const ns = `eaphost-adapter-${randomBytes(3).toString('hex')}`;

  before(function () {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'add', '以太网', 'type', 'veth', 'peer', 'name', '이더넷']);
  });

  after(function () {
    execFileSync('ip', ['netns', 'delete', ns]);
  });

  it('finds 以太网 and 이더넷 by name, and each GUID is its own interface\'s', async () => {
    const links = JSON.parse(execFileSync('ip', ['-j', '-n', ns, 'link', 'show'], { encoding: 'utf8' })) as Array<{ ifindex: number; ifname: string }>;
    const guidOf = (name: string): string => {
      const link = links.find((l) => l.ifname === name);
      assert.ok(link, `ip link lists no ${name}`);
      return `{${link.ifindex.toString(16).padStart(8, '0').toUpperCase()}-0000-0000-0000-4E6574446576}`;
    };
    stopWineServer();
    let run;
    try {
      run = await runWineNode(['-e', probe], {}, undefined, ns);
    } finally {
      stopWineServer();
    }
    const line = run.output.split(/\r?\n/).find((l) => l.startsWith('RESULT '));
    assert.ok(run.code === 0 && line, `node.exe in the namespace (exit ${run.code}):\n${run.output}`);
    const result = JSON.parse(line.slice('RESULT '.length)) as { adapters: Array<{ friendlyName: string }>; cn: string; kr: string; lo: string; none: null };
    console.log(`      adapters: ${JSON.stringify(result.adapters)}`);
    assert.deepEqual(result.adapters.map((a) => a.friendlyName).sort(), ['lo', '以太网', '이더넷'].sort());
    assert.equal(result.cn, guidOf('以太网'));
    assert.equal(result.kr, guidOf('이더넷'));
    assert.notEqual(result.cn, result.kr);
    assert.equal(result.lo, guidOf('lo'), 'LO is lo: without regard to case');
    assert.equal(result.none, null);
  });
});
