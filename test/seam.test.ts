/**
 * The seam is declared once (seam/seam.js) and generated on both sides by
 * seam/generate.js. Here: the checked-in output is what the declaration makes; an edit of the
 * declaration alone moves both the C++ writer and the JS builder; and, through the test builds'
 * probe, every field of every result shape the addon writes by name arrives under that name.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const distLib = path.join(__dirname, '..', 'lib');

interface Field { name: string; type: string; part?: string; optional?: boolean; facade?: boolean; ts?: string }
interface ArgField { name: string; type: string; optional?: boolean; reason?: string; unless?: string }
interface ConnectionData {
  types: { name: string; number: number; value: string; size?: number; repeatable?: boolean; readers: string[]; doc: string }[];
  flags: { name: string; bit: number; doc: string }[];
}
interface Declaration {
  args: Record<string, { fields: ArgField[] }>;
  parts: Record<string, { fields: Field[]; returns: string; declareType?: string }>;
  shapes: Record<string, { fields?: Field[]; part?: string; packed?: boolean; unwrap?: string; returns: string; declareType?: string }>;
  types: Record<string, unknown>;
  exports: { name: string }[];
  probeExports: { name: string }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require(path.join(root, 'seam', 'generate.js')) as {
  generate(declaration?: Declaration, connectionData?: ConnectionData): Record<string, string>;
  written(declaration: Declaration): Declaration;
  stale(declaration?: Declaration): string[];
  probeNumber(text: string): number;
  DECLARATION: string;
  CONNECTION_DATA: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const declared = require(path.join(root, generator.DECLARATION)) as Declaration;
// What the addon writes: the declaration less the members lib/ alone sets (facade).
const declaration = generator.written(declared);

const fieldsOf = (shape: Declaration['shapes'][string]): Field[] =>
  shape.part ? declaration.parts[shape.part].fields : shape.fields ?? [];

/** A Buffer as JSON.stringify gives it. */
const bufferJson = (text: string) => ({ type: 'Buffer', data: [...Buffer.from(text, 'utf8')] });

/** What the probe's shape must read as: each field holds the value made from its own path. */
function expected(fields: Field[], prefix: string[], round: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const at = [...prefix, field.name];
    const label = at.join('.');
    const n = generator.probeNumber(label);
    const values: Record<string, () => unknown> = {
      number: () => n,
      boolean: () => ((n >>> round) & 1) === 1,
      string: () => label,
      buffer: () => bufferJson(label),
      handle: () => n,
      error: () => ({ error: label, win32Error: n }),
      buffers: () => [bufferJson(label)],
      list: () => [n],
      value: () => n,
      attributes: () => [{ type: n, value: bufferJson(label) }],
      questions: () => [{ question: n, identity: label }],
      part: () => expected(declaration.parts[field.part as string].fields, at, round),
    };
    assert.ok(values[field.type], `${label}: no expectation for type ${field.type}`);
    out[field.name] = values[field.type]();
  }
  return out;
}

/** Every number the probe writes into one shape, by path. */
function probeNumbers(fields: Field[], prefix: string[] = []): string[] {
  return fields.flatMap((field) => field.type === 'part'
    ? probeNumbers(declaration.parts[field.part as string].fields, [...prefix, field.name])
    : [[...prefix, field.name].join('.')]);
}

// Enough rounds that any two boolean fields of a shape differ in one of them (31 bits of FNV).
const ROUNDS = 31;

function runProbe(): Record<string, unknown[]> {
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    const out = {};
    for (const shape of ${JSON.stringify(Object.keys(declaration.shapes))}) {
      out[shape] = [];
      for (let round = 0; round < ${ROUNDS}; round++) out[shape].push(binding.resultShapeProbe({ shape, round }));
    }
    process.stdout.write(JSON.stringify(out, (key, value) =>
      value instanceof Error ? { error: value.call, win32Error: value.win32Error } : value));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, EAPHOST_CONTRACT_PROBE: '1' }, encoding: 'utf8', timeout: 30000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Record<string, unknown[]>;
}

/** The types a result shape or part names that the seam does not declare, or that raw-types.ts (`raw`) does. */
function undeclaredResults(seam: Declaration, raw: string[]): string[] {
  const names = new Set([
    ...Object.keys(seam.types),
    ...[...Object.values(seam.parts), ...Object.values(seam.shapes)].filter((s) => s.declareType).map((s) => s.returns),
  ]);
  // Beside the declared ones, a result names only core types, the objects exports return, and TS's own.
  const allowed = new Set([...names, 'EapAttribute', 'EapError', 'EapMethodTypeInfo', 'Buffer', 'Promise', 'Pick',
    'NonNullable', 'Float64Array', 'NativeEapolPort', 'NativeRadiusEngine', 'NativeWlanConnect']);
  const named = (text: string) => text.replace(/'[^']*'/g, '').match(/\b[A-Z]\w*/g) ?? [];
  const found: string[] = [];
  for (const [name, shape] of [...Object.entries(seam.parts), ...Object.entries(seam.shapes)]) {
    const texts = [shape.returns, ...(shape.fields ?? []).map((field) => field.ts ?? '')];
    for (const type of new Set(texts.flatMap(named))) {
      if (!allowed.has(type)) found.push(`${name} names ${type}, which the seam does not declare`);
      if (raw.includes(type)) found.push(`${name} names ${type}, which raw-types.ts declares by hand`);
    }
  }
  return found;
}

describe('the seam, declared once', function () {
  this.timeout(60000);

  it('the generated files are what seam/seam.js and seam/connection_data.js make (node seam/generate.js)', () => {
    assert.deepEqual(generator.stale(), []);
  });

  it('each generated file sits in a generated/ folder, opens with @generated … DO NOT EDIT, and .gitattributes marks it linguist-generated', () => {
    const files = Object.keys(generator.generate());
    assert.equal(files.length, 15);
    const attributes = fs.readFileSync(path.join(root, '.gitattributes'), 'utf8');
    assert.match(attributes, /^\*\*\/generated\/\*\* linguist-generated=true$/m);
    for (const file of files) {
      assert.match(file, /\/generated\/[^/]+$/, file);
      const first = fs.readFileSync(path.join(root, file), 'utf8').split('\n')[0];
      assert.match(first, /^\/\/ @generated by seam\/generate\.js from seam\/(seam|connection_data)\.js: DO NOT EDIT\b/, file);
    }
  });

  it('every result\'s TS type is declared in the seam: raw-types.ts declares none, and each shape names declared types', () => {
    const rawTypes = fs.readFileSync(path.join(root, 'lib/native/raw-types.ts'), 'utf8');
    const raw = [...rawTypes.matchAll(/^export (?:interface|type) (\w+)/gm)].map(([, name]) => name);
    assert.deepEqual(raw.sort(), ['ConversationInput', 'NativeEapolFrameSink', 'NativeKnownAnswer', 'NativeRegistryWrite']);
    assert.deepEqual(undeclaredResults(declared, raw), []);
  });

  it('the check sees a result whose type is written by hand', () => {
    const edited = structuredClone(declared);
    delete edited.shapes.dasStats.declareType;
    assert.deepEqual(undeclaredResults(edited, ['DynamicAuthorizationServerStats']), [
      'dasStats names DynamicAuthorizationServerStats, which the seam does not declare',
      'dasStats names DynamicAuthorizationServerStats, which raw-types.ts declares by hand',
    ]);
  });

  it('an edit of the declaration alone moves the C++ writer and the JS builder together', () => {
    const swapped = structuredClone(declaration);
    const step = swapped.parts.authenticatorStep.fields;
    const from = step.findIndex((field) => field.name === 'timeoutMs');
    const to = step.findIndex((field) => field.name === 'failureReason');
    [step[from], step[to]] = [step[to], step[from]];
    const before = generator.generate(declaration);
    const after = generator.generate(swapped);
    const slot = (header: string, setter: string) =>
      Number(new RegExp(`class AuthenticatorStepWriter [\\s\\S]*?void ${setter}\\(double value\\) \\{ slots_\\[(\\d+)\\]`).exec(header)?.[1]);
    const header = 'native/addon/generated/result_shapes.h';
    assert.equal(slot(after[header], 'timeoutMs'), slot(before[header], 'failureReason'));
    assert.equal(slot(after[header], 'failureReason'), slot(before[header], 'timeoutMs'));
    const builder = 'lib/native/generated/result-shapes.ts';
    const order = (source: string) => /conversation: \(([\s\S]*?)\): ConversationResult/.exec(source)?.[1]
      .split(',').map((param) => param.trim().split(':')[0]).filter((name) => /^step(TimeoutMs|FailureReason)$/.test(name));
    assert.deepEqual(order(before[builder]), ['stepTimeoutMs', 'stepFailureReason']);
    assert.deepEqual(order(after[builder]), ['stepFailureReason', 'stepTimeoutMs']);
  });

  it('an edit of an argument field\'s declaration alone moves the C++ struct and reader and the TS interface', () => {
    const edited = structuredClone(declaration);
    const reason = edited.args.EapHostPeerGetResultArgs.fields.find((field) => field.name === 'reason') as ArgField;
    reason.optional = true;
    const before = generator.generate(declaration);
    const after = generator.generate(edited);
    const header = 'native/addon/generated/arg_structs.h';
    const types = 'lib/native/generated/arg-types.ts';
    const member = (text: string) => /struct EapHostPeerGetResultArgs \{[\s\S]*?\n {2}(.*) reason/.exec(text)?.[1];
    const reader = (text: string) => /ReadEapHostPeerGetResultArgs\(Napi::Object object\) \{[\s\S]*?\n(.*"reason".*)\n/.exec(text)?.[1];
    const field = (text: string) => /interface EapHostPeerGetResultArgs \{[\s\S]*?\n {2}(reason\??: number);/.exec(text)?.[1];
    assert.equal(member(before[header]), 'eap::DWORD');
    assert.equal(member(after[header]), 'std::optional<eap::DWORD>');
    assert.match(reader(before[header]) ?? '', /RequiredField\(object, "reason", "a number"\)/);
    assert.match(reader(after[header]) ?? '', /if \(Napi::Value v = GetField\(object, "reason"\); !v\.IsUndefined\(\)\)/);
    assert.equal(field(before[types]), 'reason: number');
    assert.equal(field(after[types]), 'reason?: number');
  });

  it('reads a field declared unless another was given only when that one was not, and refuses an unless it cannot keep', () => {
    const header = generator.generate(declaration)['native/addon/generated/arg_structs.h'];
    const reader = /ReadConversationPeer\(Napi::Object object\) \{[\s\S]*?\n\}/.exec(header)?.[0] ?? '';
    assert.match(reader, /if \(!out\.session\) \{\n {4}if \(Napi::Value v = GetField\(object, "begin"\)/);
    const later = structuredClone(declaration);
    const fields = later.args.ConversationPeer.fields;
    (fields.find((field) => field.name === 'session') as ArgField).unless = 'begin';
    assert.throws(() => generator.generate(later), /ConversationPeer\.session: unless names an optional field declared before it/);
    const required = structuredClone(declaration);
    const run = required.args.ConversationRunArgs.fields;
    (run.find((field) => field.name === 'kind') as ArgField).unless = 'conversation';
    assert.throws(() => generator.generate(required), /ConversationRunArgs\.kind: a field read unless another is given is optional/);
  });

  it('refuses a field left a JS value without a written reason', () => {
    const edited = structuredClone(declaration);
    const data = edited.args.RegistryWriteValue.fields.find((field) => field.name === 'data') as ArgField;
    assert.ok(data.reason);
    delete data.reason;
    assert.throws(() => generator.generate(edited), /RegistryWriteValue\.data: a value field needs a reason/);
  });

  it('every field of every result shape arrives under its own name (the test builds\' probe)', () => {
    const shapes = runProbe();
    for (const [name, shape] of Object.entries(declaration.shapes)) {
      const paths = probeNumbers(fieldsOf(shape));
      assert.equal(new Set(paths.map(generator.probeNumber)).size, paths.length, `${name}: two fields share a probe value`);
      for (let round = 0; round < ROUNDS; round++) {
        const whole = expected(fieldsOf(shape), [], round);
        assert.deepEqual(shapes[name][round], shape.unwrap ? whole[shape.unwrap] : whole, `${name}, round ${round}`);
      }
    }
  });

  it('every declared export is the addon\'s, and the probes only with EAPHOST_CONTRACT_PROBE=1', () => {
    const script = `const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
      process.stdout.write(JSON.stringify(Object.keys(binding)));`;
    const run = (probe: string) => {
      const child = spawnSync(process.execPath, ['-e', script], {
        env: { ...process.env, EAPHOST_CONTRACT_PROBE: probe }, encoding: 'utf8', timeout: 30000,
      });
      assert.equal(child.status, 0, child.stderr);
      return (JSON.parse(child.stdout) as string[]).sort();
    };
    const names = (list: { name: string }[]) => list.map((entry) => entry.name);
    assert.deepEqual(run(''), names(declaration.exports).sort());
    assert.deepEqual(run('1'), [...names(declaration.exports), ...names(declaration.probeExports)].sort());
  });
});

describe('the connection data\'s format, declared once (seam/connection_data.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const format = require(path.join(root, generator.CONNECTION_DATA)) as ConnectionData;
  const header = 'native/methods/support/generated/connection_data_format.h';
  const tsFile = 'lib/core/generated/connection-data-format.ts';
  const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
  const source = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  /** The enumerators of `scope` that `text` names, by their names. */
  const cases = (text: string, scope: string) => [...text.matchAll(new RegExp(`\\b${scope}::k(\\w+)`, 'g'))].map(([, name]) => name);
  const namesReadBy = (reader: string) => format.types.filter((type) => type.readers.includes(reader)).map((type) => pascal(type.name));

  it('the C++ enum and the TS const hold every declared type under its number, and the flag bits under theirs', () => {
    const enumBody = /enum class ConnectionDataType : std::uint8_t \{([\s\S]*?)\};/.exec(source(header))?.[1] ?? '';
    const enumerators = [...enumBody.matchAll(/k(\w+) = (\d+),/g)].map(([, name, number]) => [name, Number(number)]);
    assert.deepEqual(enumerators, format.types.map((type) => [pascal(type.name), type.number]));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(path.join(distLib, 'core', 'generated', 'connection-data-format')) as {
      ConnectionDataType: Record<string, number>; ConnectionDataFlag: Record<string, number>;
    };
    assert.deepEqual(ts.ConnectionDataType, Object.fromEntries(format.types.map((type) => [pascal(type.name), type.number])));
    assert.deepEqual(ts.ConnectionDataFlag, Object.fromEntries(format.flags.map((flag) => [pascal(flag.name), 2 ** flag.bit])));
    const flagBody = /struct ConnectionDataFlag \{([\s\S]*?)\};/.exec(source(header))?.[1] ?? '';
    const masks = [...flagBody.matchAll(/k(\w+) = 0x([0-9A-F]+)u;/g)].map(([, name, mask]) => [name, parseInt(mask, 16)]);
    assert.deepEqual(masks.slice(0, -1), format.flags.map((flag) => [pascal(flag.name), 2 ** flag.bit]));
  });

  it('ParseTlsConfig reads every declared type (each one\'s reader is the method) and the configuration XML exactly its own', () => {
    assert.ok(format.types.every((type) => type.readers.includes('method')));
    const tlsConfig = source('native/methods/tls/tls_config.cc');
    const readField = /void ReadField\(CdType type, ByteSpan value, TlsConfig\* out\) \{([\s\S]*?)\n\}/.exec(tlsConfig)?.[1] ?? '';
    const read = [...readField.matchAll(/case CdType::k(\w+):/g)].map(([, name]) => name);
    assert.deepEqual(read.sort(), namesReadBy('method').sort());
    const configXml = source('native/methods/support/config_xml.cc');
    const order = /static const CdType kOrder\[\] = \{([\s\S]*?)\};/.exec(configXml)?.[1] ?? '';
    assert.deepEqual(cases(order, 'CdType').sort(), namesReadBy('xml').sort());
    const xmlReads = /constexpr bool ConnectionDataXmlReads\(ConnectionDataType type\) \{([\s\S]*?)\n\}/.exec(source(header))?.[1] ?? '';
    assert.deepEqual(cases(xmlReads, 'ConnectionDataType').sort(), namesReadBy('xml').sort());
  });

  it('the readers write no type number or flag mask of their own: they name the generated declarations', () => {
    for (const file of ['native/methods/tls/tls_config.cc', 'native/methods/support/config_xml.cc',
      'native/methods/support/connection_data_codec.cc', 'native/methods/support/connection_data_codec.h']) {
      const text = source(file);
      assert.doesNotMatch(text, /\benum\b[^;{]*\{\s*k\w+ = 1\b/, `${file} declares the types again`);
      assert.doesNotMatch(text, /flags & \d+u|\bkCd[A-Z]/, `${file} writes a flag mask or a type by hand`);
    }
  });

  it('an edit of the declaration alone moves the TS const, the C++ enum, its name and its size', () => {
    const edited = structuredClone(format);
    edited.types.push({ name: 'example', number: format.types.length + 1, value: 'byte', size: 1, readers: ['method'], doc: 'An example.' });
    const after = generator.generate(declared, edited);
    const n = format.types.length + 1;
    assert.match(after[tsFile], new RegExp(`^ {2}Example: ${n},$`, 'm'));
    assert.match(after[tsFile], /^ {2}Example: 1,$/m);
    assert.match(after[header], new RegExp(`^ {2}kExample = ${n},$`, 'm'));
    assert.match(after[header], new RegExp(`return number >= 1 && number <= ${n};`));
    assert.match(after[header], /case ConnectionDataType::kExample: return "example";/);
    assert.match(after[header], /case ConnectionDataType::kExample: return 1;/);
    assert.doesNotMatch(generator.generate(declared, format)[header], /kExample/);
  });

  it('refuses a type number a reader cannot keep (a gap, over 31) and a reader it does not know', () => {
    const gap = structuredClone(format);
    gap.types[gap.types.length - 1].number += 1;
    assert.throws(() => generator.generate(declared, gap), /ticketKey: type 21 breaks the run/);
    const foreign = structuredClone(format);
    foreign.types[0].readers = ['js'];
    assert.throws(() => generator.generate(declared, foreign), /ca: readers must name 'method'/);
  });
});
