/**
 * docs/cli.md is what scripts/dev/cli-reference.js writes from the CLI's command files and flags,
 * so a flag added, renamed or reworded without regenerating the reference fails here; and,
 * read independently of the generator, it names every flag each command's parser accepts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandFlags, listCommands } from '../lib/cli/main';

const repo = path.resolve(__dirname, '..', '..');
const generator = require(path.join(repo, 'scripts', 'dev', 'cli-reference.js')) as { cliReference(): string; target: string };

describe('docs/cli.md, the generated command-line reference', () => {
  const committed = fs.readFileSync(path.join(repo, 'docs', 'cli.md'), 'utf8');

  it('is exactly what scripts/dev/cli-reference.js generates (run it after changing a flag)', () => {
    assert.equal(generator.target, path.join(repo, 'docs', 'cli.md'));
    assert.equal(committed, generator.cliReference(),
      'docs/cli.md is out of date: run `npm run build:ts && node scripts/dev/cli-reference.js`');
  });

  it("documents every flag of every command under that command's heading", () => {
    const sections = committed.split(/^## /m).slice(1);
    for (const command of listCommands()) {
      const section = sections.find((text) => text.startsWith(`eaphost ${command.name}\n`));
      assert.ok(section, `no section for eaphost ${command.name}`);
      for (const form of command.forms) {
        for (const usage of form.usage) assert.ok(section.includes(`eaphost ${usage}\n`), `eaphost ${command.name}: usage ${usage}`);
        for (const flag of commandFlags(form).filter((f) => f.name !== 'help')) {
          assert.match(section, new RegExp(`\\| \`--${flag.name}[ \`]`), `eaphost ${command.name} lacks --${flag.name}`);
        }
      }
    }
  });
});
