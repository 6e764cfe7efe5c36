/**
 * The warning set of both builds is at least as strict as MSVC's /W4 (unused parameters,
 * -Wshadow), and warnings are errors only in this project's own builds: the node-gyp build a
 * consumer's `npm install` falls back to must not fail on a compiler's new warning.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

/** The environment of a consumer: none of this project's build switches. */
function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env)) {
    if (/^EAPHOST_WERROR$|^npm_config_/i.test(name) && !(name in extra)) delete env[name];
  }
  return env;
}

/** Configures CMakeLists.txt in a scratch directory; returns every compile command's flags. */
function cmakeCompileCommands(args: string[], env: NodeJS.ProcessEnv): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-build-flags-'));
  try {
    const generator = spawnSync('ninja', ['--version']).status === 0 ? ['-G', 'Ninja'] : [];
    const result = spawnSync('cmake', ['-S', root, '-B', dir, ...generator, '-DCMAKE_BUILD_TYPE=Release',
      '-DCMAKE_EXPORT_COMPILE_COMMANDS=ON', ...args], { env, encoding: 'utf8' });
    assert.equal(result.status, 0, `cmake configure failed:\n${result.stdout}\n${result.stderr}`);
    const commands: { command: string; file: string }[] =
      JSON.parse(fs.readFileSync(path.join(dir, 'compile_commands.json'), 'utf8'));
    assert.ok(commands.length > 20, `only ${commands.length} compile commands`);
    return commands.map((c) => c.command);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** binding.gyp is a Python literal: JSON with # comments. */
function readBindingGyp(): any {
  const text = fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
  return JSON.parse(text);
}

/** Evaluates a gyp `<!(command)` variable as node-gyp would, under the given environment. */
function gypCommandValue(expression: string, env: NodeJS.ProcessEnv): string {
  const match = /^<!\((.*)\)$/s.exec(expression);
  assert.ok(match, `not a command expansion: ${expression}`);
  const result = spawnSync(match[1], { shell: true, cwd: root, env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe('build warnings: MSVC /W4 strictness, errors only in our own builds', function () {
  this.timeout(120000);

  it('CMake warns like MSVC /W4 everywhere, as errors only when asked (EAPHOST_WERROR=1 or the option)', () => {
    const hasFlag = (command: string, flag: string) => command.split(/\s+/).includes(flag);
    for (const command of cmakeCompileCommands([], consumerEnv())) {
      for (const flag of ['-Wall', '-Wextra', '-Wshadow']) assert.ok(hasFlag(command, flag), `${flag} missing from: ${command}`);
      assert.ok(!/-Wno-unused/.test(command), `unused-parameter warnings disabled in: ${command}`);
      assert.ok(!hasFlag(command, '-Werror'), `-Werror without being asked: ${command}`);
    }
    for (const command of cmakeCompileCommands([], consumerEnv({ EAPHOST_WERROR: '1' }))) {
      for (const flag of ['-Wshadow', '-Werror']) assert.ok(hasFlag(command, flag), `${flag} missing from: ${command}`);
      assert.ok(!/-Wno-unused/.test(command), `unused-parameter warnings disabled in: ${command}`);
    }
  });

  it('binding.gyp warns like CMake and adds -Werror, /WX only under eaphost_werror==1', () => {
    const gyp = readBindingGyp();
    const defaults = gyp.target_defaults;
    const flags: string[] = defaults.cflags_cc;
    for (const flag of ['-Wall', '-Wextra', '-Wshadow']) assert.ok(flags.includes(flag), `cflags_cc lacks ${flag}`);
    assert.ok(!flags.some((f) => /^-Wno-unused|^-Werror/.test(f)), `cflags_cc: ${flags.join(' ')}`);
    assert.ok(defaults.xcode_settings.WARNING_CFLAGS.includes('-Wshadow'));
    const msvc: string[] = defaults.msvs_settings.VCCLCompilerTool.AdditionalOptions;
    assert.ok(msvc.includes('/W4') && !msvc.includes('/WX'), `MSVC options: ${msvc.join(' ')}`);
    assert.deepEqual(defaults.conditions.map((c: [string, unknown]) => c[0]), ['eaphost_werror==1']);
    const strict = defaults.conditions[0][1];
    assert.deepEqual(strict.cflags_cc, ['-Werror']);
    assert.equal(strict.msvs_settings.VCCLCompilerTool.WarnAsError, 'true');
    // Nothing else in the file names -Werror or /WX, but the linker's /WX:4199 on each module that
    // delay-loads GnuTLS (the method module and the addon): not a warning level, the check that
    // link.exe honoured /DELAYLOAD (LNK4199: the import library had no such DLL), a build that is
    // wrong either way.
    const text = JSON.stringify({ ...gyp, target_defaults: { ...defaults, conditions: [] } });
    assert.equal(text.split('"/WX:4199"').length - 1, 2, 'binding.gyp fails the GnuTLS delay-load link on LNK4199, in both modules');
    assert.ok(!/-Werror|\/WX|Wno-unused/.test(text.replaceAll('"/WX:4199"', '')), 'binding.gyp sets warnings-as-errors outside its switch');

    const variable: string = gyp.variables['eaphost_werror%'];
    assert.equal(gypCommandValue(variable, consumerEnv()), '0');
    assert.equal(gypCommandValue(variable, consumerEnv({ EAPHOST_WERROR: '1' })), '1');
  });

  it('the consumer fallback (scripts/install/install.js, node-gyp) builds with warnings as warnings', () => {
    // An installed package: no test/ and no cmake-js beside it, so install.js takes its node-gyp path.
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-consumer-build-'));
    try {
      fs.cpSync(path.join(root, 'scripts', 'install'), path.join(pkg, 'scripts', 'install'), { recursive: true });
      fs.copyFileSync(path.join(root, 'binding.gyp'), path.join(pkg, 'binding.gyp'));
      fs.mkdirSync(path.join(pkg, 'node_modules'));
      for (const dependency of ['node-api-headers', 'cross-spawn']) {
        fs.symlinkSync(path.join(root, 'node_modules', dependency), path.join(pkg, 'node_modules', dependency));
      }
      // Stands in for node-gyp: records the environment and arguments install.js gives it.
      const record = path.join(pkg, 'node-gyp-call.json');
      const fakeNodeGyp = path.join(pkg, 'fake-node-gyp.js');
      fs.writeFileSync(fakeNodeGyp, `require('fs').writeFileSync(${JSON.stringify(record)}, ` +
        'JSON.stringify({ argv: process.argv.slice(2), env: process.env }));\n');
      const result = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'install', 'install.js')], {
        cwd: pkg, encoding: 'utf8',
        env: consumerEnv({ EAPHOST_BUILD_FROM_SOURCE: '1', npm_config_node_gyp: fakeNodeGyp }),
      });
      assert.equal(result.status, 0, `install.js failed:\n${result.stderr}`);
      const call: { argv: string[]; env: NodeJS.ProcessEnv } = JSON.parse(fs.readFileSync(record, 'utf8'));
      assert.equal(call.argv[0], 'rebuild');
      assert.ok(!call.argv.some((a) => /werror|WARNINGS_AS_ERRORS/i.test(a)), call.argv.join(' '));
      // The node-gyp build evaluates binding.gyp's switch in exactly this environment.
      assert.equal(gypCommandValue(readBindingGyp().variables['eaphost_werror%'], call.env), '0');
    } finally {
      fs.rmSync(pkg, { recursive: true, force: true });
    }
  });
});
