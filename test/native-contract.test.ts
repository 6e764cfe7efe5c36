/** The named native contract is two reviewed files, lib/native/contract.ts and
 *  native/addon/contract.h: every struct the header declares is the interface of the same name
 *  in the TypeScript contract, member for member and in the same order, and every named argument
 *  or result object a call takes or gives (`XxxArgs`, `XxxResult`) is declared on both sides.
 *  Every addon call takes one such argument object (the few still pending are named below), and
 *  the addon refuses a missing or mistyped field with a TypeError naming it. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { binding } from '../lib/native';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** `struct Name { Type member; Type member = default; … };` → Name: [member, …]. */
export function structFields(header: string): Map<string, string[]> {
  const structs = new Map<string, string[]>();
  for (const match of header.matchAll(/^struct (\w+) \{\n([\s\S]*?)^\};/gm)) {
    const fields: string[] = [];
    for (const raw of match[2].split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (line === '') continue;
      const member = /(\w+)\s*(?:=[^;]*)?;$/.exec(line);
      if (!member) throw new Error(`contract.h: struct ${match[1]}: cannot read the member "${line}"`);
      fields.push(member[1]);
    }
    structs.set(match[1], fields);
  }
  return structs;
}

/** `export interface Name { member?: Type; … }` → Name: [member, …] (comments and methods' bodies skipped). */
export function interfaceFields(source: string): Map<string, string[]> {
  const interfaces = new Map<string, string[]>();
  for (const match of source.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const body = match[2].replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const fields = [...body.matchAll(/^\s{2}(?:readonly )?(\w+)\??:/gm)].map((member) => member[1]);
    interfaces.set(match[1], fields);
  }
  return interfaces;
}

/** The results native/addon/seam.js declares (its shapes' and parts' types): generated on both
 *  sides, so not among contract.h's structs. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const seam = require(path.join(root, 'native', 'addon', 'seam.js')) as Record<'parts' | 'shapes', Record<string, { returns: string }>>;
const shapeTypes = new Set([...Object.values(seam.parts), ...Object.values(seam.shapes)].map((entry) => entry.returns));

/** What disagrees between the two files; [] when they match. */
export function contractMismatches(header: string, source: string): string[] {
  const structs = structFields(header);
  const interfaces = interfaceFields(source);
  const problems: string[] = [];
  for (const [name, fields] of structs) {
    const declared = interfaces.get(name);
    if (!declared) problems.push(`contract.h's struct ${name} has no interface ${name} in contract.ts`);
    else if (declared.join(',') !== fields.join(',')) {
      problems.push(`${name}: contract.h has (${fields.join(', ')}), contract.ts has (${declared.join(', ')})`);
    }
  }
  for (const name of interfaces.keys()) {
    if (/(Args|Result)$/.test(name) && !structs.has(name) && !shapeTypes.has(name)) problems.push(`contract.ts's ${name} has no struct in contract.h`);
  }
  return problems;
}

describe('the named native contract', () => {
  it('declares every argument and result object in contract.ts and contract.h, member for member', () => {
    const header = read('native/addon/contract.h');
    const source = read('lib/native/contract.ts');
    assert.ok(structFields(header).size > 0, 'contract.h declares no struct');
    assert.deepEqual(contractMismatches(header, source), []);
  });

  it('reports a renamed member, a reordered one, and an object only one side declares', () => {
    const header = 'struct FooArgs {\n  Napi::Value handle;\n  std::optional<Bytes> packet;  // why\n  bool timeout = false;\n};\n';
    const source = 'export interface FooArgs {\n  /** the handle */\n  handle: H;\n  packet?: Buffer;\n  timeout?: boolean;\n}\n';
    assert.deepEqual(contractMismatches(header, source), []);
    assert.equal(contractMismatches(header.replace('timeout', 'timedOut'), source).length, 1);
    assert.equal(contractMismatches(header, source.replace('  handle: H;\n  packet?: Buffer;', '  packet?: Buffer;\n  handle: H;')).length, 1);
    assert.equal(contractMismatches(header, `${source}export interface BarResult {\n  done: boolean;\n}\n`).length, 1);
    assert.equal(contractMismatches(`${header}struct BazResult {\n  int done;\n};\n`, source).length, 1);
  });
});

/** The calls that still take positional arguments (or no argument object of the contract's): the
 *  in-process pairing's and the RADIUS lane's, which are being folded into the conversation
 *  driver. The list may only shrink: a call converted or deleted fails the test until it leaves it. */
const PENDING: string[] = [];

interface Member { name: string; optional: boolean; type: string }

/** NativeBinding's calls, each with its signatures' parameters, and every interface's members. */
function readContract(source: string): { calls: Map<string, ts.ParameterDeclaration[][]>; interfaces: Map<string, Member[]> } {
  const file = ts.createSourceFile('contract.ts', source, ts.ScriptTarget.ES2022, true);
  const calls = new Map<string, ts.ParameterDeclaration[][]>();
  const interfaces = new Map<string, Member[]>();
  file.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const members: Member[] = [];
    for (const member of node.members) {
      if (ts.isPropertySignature(member) && member.type) {
        members.push({ name: member.name.getText(file), optional: member.questionToken !== undefined, type: member.type.getText(file) });
      }
      if (node.name.text === 'NativeBinding' && ts.isMethodSignature(member)) {
        const name = member.name.getText(file);
        calls.set(name, [...(calls.get(name) ?? []), [...member.parameters]]);
      }
    }
    interfaces.set(node.name.text, members);
  });
  return { calls, interfaces };
}

/** The argument object's interface a one-parameter signature names (the first of an intersection). */
function argsInterface(parameter: ts.ParameterDeclaration): string | undefined {
  let type = parameter.type;
  if (type && ts.isIntersectionTypeNode(type)) type = type.types[0];
  return type && ts.isTypeReferenceNode(type) ? type.typeName.getText() : undefined;
}

/** A value of the member's type, as the addon reads it (only its kind matters: no call runs). */
function validValue(type: string): unknown {
  const literal = /^'([^']*)'/.exec(type);
  if (literal) return literal[1];
  if (/^\d+( \| \d+)*$/.test(type)) return Number(type.split(' ')[0]);
  const values: Record<string, unknown> = {
    NativeHandle: 1e9, Buffer: Buffer.alloc(1), number: 0, string: 'x', boolean: false, 'Buffer | bigint': 0n,
    EapMethodTypeInfo: { type: 4, vendorId: 0, vendorType: 0, authorId: 0 }, EapInteractiveUiData: { type: 0 },
    ConversationSettings: { maxSendPacketSize: 1400, retransmitTimeoutMs: 3000, maxRetransmits: 4, connectionData: [] },
    ConversationAuthenticator: { methods: [], settings: { maxSendPacketSize: 1400, retransmitTimeoutMs: 3000, maxRetransmits: 4,
      connectionData: [] } },
  };
  if (type in values) return values[type];
  if (type.endsWith('[]')) return [];
  if (/=>|^typeof |Sink$/.test(type)) return () => undefined;
  throw new Error(`no value for a member of type ${type}`);
}

/** The calls one of whose signatures takes more than one parameter, a rest parameter, or one that
 *  is not a contract object (`XxxArgs`). */
function positionalCalls(calls: Map<string, ts.ParameterDeclaration[][]>): string[] {
  return [...calls].filter(([, signatures]) => signatures.some((parameters) =>
    parameters.length > 1 || parameters.some((p) => p.dotDotDotToken !== undefined) ||
    (parameters.length === 1 && !/Args$/.test(argsInterface(parameters[0]) ?? '')))).map(([name]) => name).sort();
}

describe('reading the contract for its calls', () => {
  it('tells a positional call, a spread one and one without a contract object from a named one', () => {
    const { calls } = readContract(`export interface NativeBinding {
  named(args: NamedArgs): Promise<void>;
  overloaded(args: OneArgs): Promise<void>;
  overloaded(args: OtherArgs & { kind: 1 }): Promise<number>;
  none(): void;
  positional(handle: NativeHandle, packet: Buffer): Promise<void>;
  spread(...args: Parts): Promise<void>;
  plain(shapes: Shapes): void;
  mixed(args: MixedArgs): void;
  mixed(handle: NativeHandle, more: number): void;
}
`);
    assert.deepEqual(positionalCalls(calls), ['mixed', 'plain', 'positional', 'spread']);
  });
});

describe('every addon call takes one named argument object', () => {
  const { calls, interfaces } = readContract(read('lib/native/contract.ts'));
  const call = (name: string, ...args: unknown[]): unknown =>
    (binding as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);
  /** Each named call, with the argument interfaces of its signatures. */
  const named = [...calls].filter(([name, signatures]) => !PENDING.includes(name) && signatures.some((p) => p.length === 1))
    .map(([name, signatures]) => ({ name, args: signatures.map((p) => argsInterface(p[0]) as string) }));
  /** The EAP functions a call's `call` may name, from its argument interfaces. */
  const functionsOf = (name: string): string[] => [...new Set((named.find((n) => n.name === name)?.args ?? [])
    .map((type) => interfaces.get(type)?.find((m) => m.name === 'call')?.type)
    .filter((type): type is string => type !== undefined).map((type) => type.replace(/'/g, '')))];

  it('declares no call with more than one parameter, or one that is no contract object, but the pending ones', () => {
    assert.deepEqual(positionalCalls(calls), [...PENDING].sort());
    assert.ok(named.length >= 15, `only ${named.length} named calls found`);
    for (const { name, args } of named) {
      for (const type of args) assert.ok(interfaces.has(type), `${name} takes ${type}, which contract.ts does not declare`);
    }
  });

  it('the addon refuses anything but one argument object, naming the call', () => {
    for (const { name } of named) {
      for (const wrong of [[], [1e9], [[]]]) {
        assert.throws(() => call(name, ...wrong), (error: unknown) => error instanceof TypeError &&
          error.message === `${name} takes one argument object`, `${name}(${wrong.map(String).join(', ')})`);
      }
    }
  });

  it("a call's `call` names one of its EAP functions; the addon lists exactly the contract's for any other", () => {
    let discriminated = 0;
    for (const { name } of named) {
      const functions = functionsOf(name);
      if (functions.length === 0) continue;
      discriminated++;
      assert.throws(() => call(name, { call: 'noSuchCall' }), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        const listed = [...error.message.matchAll(/'(\w+)'/g)].map((m) => m[1]).filter((f) => f !== 'noSuchCall');
        assert.deepEqual(listed.sort(), functions.sort(), name);
        assert.match(error.message, new RegExp(`^${name}: call must be one of .*\\(got 'noSuchCall'\\)$`));
        return true;
      });
    }
    assert.ok(discriminated >= 6);
  });

  it('a missing or mistyped field is a TypeError naming it, thrown before anything runs', () => {
    let checked = 0;
    for (const { name, args } of named) {
      for (const type of args) {
        const members = interfaces.get(type) as Member[];
        const required = Object.fromEntries(members.filter((m) => !m.optional).map((m) => [m.name, validValue(m.type)]));
        for (const member of members) {
          const naming = (error: unknown): boolean => error instanceof TypeError &&
            new RegExp(`\\b${member.name}\\b`).test(error.message);
          if (!member.optional) {
            const missing: Record<string, unknown> = { ...required };
            delete missing[member.name];
            assert.throws(() => call(name, missing), naming, `${name}(${type}) without ${member.name}`);
          }
          assert.throws(() => call(name, { ...required, [member.name]: Symbol('wrong') }), naming,
            `${name}(${type}) with a mistyped ${member.name}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 100, `only ${checked} fields checked`);
  });

  it("docs/architecture.md's table of the addon's calls names every call and every `call` the contract declares", () => {
    const doc = read('docs/architecture.md');
    const start = doc.indexOf("## The addon's calls");
    assert.ok(start >= 0, "docs/architecture.md has no section on the addon's calls");
    const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
    const ticked = (text: string): string[] => [...text.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    const rows = section.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|').slice(1, -1));
    const pending = ticked(section.slice(section.indexOf('Still positional')));
    assert.deepEqual(pending.sort(), [...PENDING].sort());
    assert.deepEqual([...rows.flatMap(([names]) => ticked(names)), ...pending].sort(), [...calls.keys()].sort());
    for (const [names, , functions] of rows) {
      assert.deepEqual(ticked(functions).sort(), [...new Set(ticked(names).flatMap(functionsOf))].sort(), names);
    }
  });
});
