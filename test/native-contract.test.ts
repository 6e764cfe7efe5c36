/** The named native contract: every argument object is declared once (seam/seam_args.js)
 *  and generated on both sides (native/addon/generated/arg_structs.h, lib/native/generated/arg-types.ts; test/seam.test.ts
 *  holds them to the declaration). Here, against the loaded addon: every call takes one such
 *  object, and refuses it without any of its required fields or with any field mistyped, with a
 *  TypeError naming the field, as the declaration says; so a reader edited away from it fails. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { binding } from '../lib/native';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface ArgField { name: string; type: string; ts?: string; struct?: string; optional?: boolean; empty?: boolean; default?: unknown }
interface ArgObject { calls?: string[]; fields: ArgField[] }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const seam = require(path.join(root, 'seam', 'seam.js')) as { args: Record<string, ArgObject> };

const isRequired = (field: ArgField): boolean => !field.optional && !field.empty && field.default === undefined;

/** A value of the field's declared type, as its reader takes it (only its kind matters: no call runs). */
export function declaredValue(field: ArgField, args: Record<string, ArgObject> = seam.args): unknown {
  const literal = /^'([^']*)'/.exec(field.ts ?? '');
  if (literal) return literal[1];
  const number = /^(\d+)( \| \d+)*$/.exec(field.ts ?? '');
  if (number) return Number(number[1]);
  const nested = (): Record<string, unknown> => validObject(args[field.struct as string], args);
  const values: Record<string, () => unknown> = {
    handle: () => 1e9, dword: () => 0, u16: () => 0, wholeMs: () => 0, bool: () => false, string: () => 'x',
    u16string: () => 'x', bytes: () => Buffer.alloc(1), methodType: () => ({ type: 4, vendorId: 0, vendorType: 0, authorId: 0 }),
    window: () => 0n, struct: nested, lazy: nested, function: () => () => undefined, secretText: () => 'x',
    secretBuffer: () => Buffer.alloc(1), secretObject: () => ({}), object: () => ({}), value: () => 0,
  };
  return (values[field.type] ?? (() => []))();
}

/** An object holding every required field of `object`, each of its declared type. */
export function validObject(object: ArgObject, args: Record<string, ArgObject> = seam.args): Record<string, unknown> {
  return Object.fromEntries(object.fields.filter(isRequired).map((field) => [field.name, declaredValue(field, args)]));
}

/** Each way `call` must refuse `object` (a required field missing, any field mistyped), with the
 *  field the TypeError must name; [] when every one is refused so. */
export function unrefused(call: (args: unknown) => unknown, object: ArgObject): string[] {
  const valid = validObject(object);
  const problems: string[] = [];
  const check = (label: string, field: string, args: Record<string, unknown>) => {
    try {
      call(args);
      problems.push(`${label}: accepted`);
    } catch (error) {
      if (!(error instanceof TypeError) || !new RegExp(`\\b${field}\\b`).test(error.message)) {
        problems.push(`${label}: ${String(error)}`);
      }
    }
  };
  for (const field of object.fields) {
    if (isRequired(field)) {
      const missing = { ...valid };
      delete missing[field.name];
      check(`without ${field.name}`, field.name, missing);
    }
    check(`with a mistyped ${field.name}`, field.name, { ...valid, [field.name]: Symbol('wrong') });
  }
  return problems;
}

describe('every argument object, as the declaration has it', () => {
  const exported = binding as unknown as Record<string, (args: unknown) => unknown>;

  it('each export refuses its object without a required field, or with a field mistyped, naming the field', () => {
    let checked = 0;
    for (const [name, object] of Object.entries(seam.args)) {
      for (const call of (object.calls ?? []).filter((c) => typeof exported[c] === 'function')) {
        assert.deepEqual(unrefused(exported[call], object), [], `${call}(${name})`);
        checked += object.fields.length;
      }
    }
    assert.ok(checked >= 150, `only ${checked} fields checked`);
  });

  it("so do the methods of the objects the RADIUS client and the Dynamic Authorization Server's lane return", () => {
    const client = binding.radiusClientOpen({ onEvents: () => undefined }) as unknown as Record<string, (args: unknown) => unknown>;
    const das = binding.dynamicAuthorizationOpen({
      host: '127.0.0.1', port: 0, onRequests: () => undefined, clients: [{ network: '127.0.0.1', prefix: 32, secret: Buffer.from('s') }],
      requireMessageAuthenticator: true, requireEventTimestamp: true, windowSeconds: 300, replayCacheSize: 16,
    }) as unknown as Record<string, (args: unknown) => unknown>;
    const owners: Record<string, Record<string, (args: unknown) => unknown>> = { NativeRadiusClient: client, NativeDynamicAuthorization: das };
    let methods = 0;
    try {
      for (const [name, object] of Object.entries(seam.args)) {
        for (const [owner, method] of (object.calls ?? []).map((c) => c.split('.')).filter((parts) => parts[0] in owners)) {
          const target = owners[owner];
          assert.deepEqual(unrefused((args) => target[method](args), object), [], `${owner}.${method}(${name})`);
          methods++;
        }
      }
    } finally {
      client.close(undefined);
      das.close(undefined);
    }
    assert.ok(methods >= 8, `only ${methods} methods checked`);
  });

  it('the check fails a reader that lets a required field go, or reads a field the declaration mistypes', () => {
    const object: ArgObject = { fields: [{ name: 'packet', type: 'bytes' }, { name: 'budget', type: 'dword', default: 0 }] };
    const strict = (args: unknown) => {
      const { packet, budget } = args as Record<string, unknown>;
      if (!Buffer.isBuffer(packet)) throw new TypeError('packet must be a Buffer');
      if (budget !== undefined && typeof budget !== 'number') throw new TypeError('budget must be a number');
    };
    assert.deepEqual(unrefused(strict, object), []);
    const lenient = (args: unknown) => {
      const { packet } = args as Record<string, unknown>;
      if (packet !== undefined && !Buffer.isBuffer(packet)) throw new TypeError('packet must be a Buffer');
    };
    assert.deepEqual(unrefused(lenient, object), ['without packet: accepted', 'with a mistyped budget: accepted']);
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
  // NativeBinding's calls (contract.ts) and the argument objects they take (arg-types.ts).
  const { calls, interfaces } = readContract(
    `${read('lib/native/generated/native-binding.ts')}\n${read('lib/native/contract.ts')}\n${read('lib/native/generated/arg-types.ts')}`);
  const call = (name: string, ...args: unknown[]): unknown =>
    (binding as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);
  /** Each named call, with the argument interfaces of its signatures. */
  const named = [...calls].filter(([name, signatures]) => !PENDING.includes(name) && signatures.some((p) => p.length === 1))
    .map(([name, signatures]) => ({ name, args: signatures.map((p) => argsInterface(p[0]) as string) }));
  /** The EAP function a call runs: its argument interface's name without `Args`, for the three
   *  families of EAP functions (EapHostPeer*, EapPeer*, EapMethodAuthenticator*). */
  const functionsOf = (name: string): string[] => [...new Set((named.find((n) => n.name === name)?.args ?? [])
    .filter((type) => /^(EapHostPeer|EapPeer|EapMethodAuthenticator)[A-Z]\w*Args$/.test(type))
    .map((type) => type.replace(/Args$/, '')))];
  /** The export an EAP function's name gives: its family's prefix and the rest of its name. */
  const exportOf = (eapFunction: string): string => eapFunction.replace(/^EapHostPeer/, 'eapHost')
    .replace(/^EapPeer/, 'peerMethod').replace(/^EapMethodAuthenticator/, 'authenticatorMethod');

  it('declares no call with more than one parameter, or one that is no contract object, but the pending ones', () => {
    assert.deepEqual(positionalCalls(calls), [...PENDING].sort());
    assert.ok(named.length >= 15, `only ${named.length} named calls found`);
    for (const { name, args } of named) {
      for (const type of args) assert.ok(interfaces.has(type), `${name} takes ${type}, which the contract does not declare`);
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

  it('each EAP function is an export of its own, named after it, and no argument object names a function', () => {
    let functions = 0;
    for (const { name, args } of named) {
      const runs = functionsOf(name);
      assert.ok(runs.length <= 1, `${name} runs ${runs.join(', ')}`);
      if (runs.length === 1) {
        functions++;
        assert.equal(name, exportOf(runs[0]));
        assert.equal(new Set(args).size, 1, `${name}'s signatures take one argument interface`);
      }
    }
    assert.ok(functions >= 43, `only ${functions} EAP functions found`);
    for (const [type, members] of interfaces) {
      if (type.endsWith('Args')) assert.ok(!members.some((m) => m.name === 'call'), `${type} has a \`call\` member`);
    }
    assert.ok(!read('native/addon/runtime/named_args.h').includes('"call"'), 'named_args.h reads a `call` field');
  });

  it("docs/architecture.md's table of the addon's calls names every call and the EAP function each runs", () => {
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

interface Declared { name: string; args?: string }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const declared = require(path.join(root, 'seam', 'seam.js')) as {
  exports: Declared[]; probeExports: Declared[]; objects: Record<string, { methods: Declared[] }>;
};

/** Every `seam::` function a C++ source defines ('Name' or 'Object::Method'), and every place it
 *  makes a function of its own to register (AddOwnedMethod, Napi::Function::New, an ExportList)
 *  outside the runtime (module.cc's walk of the generated table, js_convert.h's AddOwnedMethod,
 *  which the generated AddMethods call). */
export function bindingDefinitions(sources: Record<string, string>): { defined: string[]; byName: string[] } {
  const defined: string[] = [];
  const byName: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    for (const match of text.matchAll(/^Napi::Value seam::(\w+(?:::\w+)?)\(/gm)) defined.push(match[1]);
    if (file.includes('/runtime/')) continue;
    for (const match of text.matchAll(/AddOwnedMethod\(|Napi::Function::New\(|\bExportList\b/g)) byName.push(`${file}: ${match[0]}`);
  }
  return { defined: defined.sort(), byName };
}

describe('the addon exports what seam/seam_exports.js declares, and nothing else', () => {
  const capital = (name: string) => name[0].toUpperCase() + name.slice(1);
  const sources = (folder: string): Record<string, string> => Object.fromEntries(fs.readdirSync(path.join(root, folder), { recursive: true })
    // readdir names nested files with the platform's separator (a backslash in Windows' node.exe): keys use /.
    .map((file) => String(file).split(path.sep).join('/')).filter((file) => /\.(cc|h)$/.test(file) && !file.startsWith('generated'))
    .map((file) => [`${folder}/${file}`, read(path.join(folder, file))]));

  // The runtime (module.cc's table walk, js_convert.h's AddOwnedMethod) registers what the
  // generated table and AddMethods hand it; the binding groups register nothing themselves.
  it('each binding group defines exactly the declared functions (seam::<Name>, seam::<Object>::<Method>), and registers none by name', () => {
    const expected = [
      ...[...declared.exports, ...declared.probeExports].map((entry) => capital(entry.name)),
      ...Object.entries(declared.objects).flatMap(([object, { methods }]) => methods.map((method) => `${object}::${capital(method.name)}`)),
    ].sort();
    const { defined, byName } = bindingDefinitions(sources('native/addon'));
    assert.deepEqual(defined, expected);
    assert.deepEqual(byName, []);
  });

  it('the check sees an undeclared definition and a function registered by its own name', () => {
    const { defined, byName } = bindingDefinitions({
      'a.cc': 'Napi::Value seam::Extra(const Napi::CallbackInfo& info) {\n}\n' +
        'void F(Napi::Env env, Napi::Object out) { AddOwnedMethod(env, out, "x", G, owner); }\n' +
        'out.Set("cancel", Napi::Function::New(env, [](const Napi::CallbackInfo& call) { return call.Env().Undefined(); }));\n' +
        'ExportList MoreExports() { return {{"more", More}}; }\n',
    });
    assert.deepEqual(defined, ['Extra']);
    assert.equal(byName.length, 3);
  });

  it('the export table is generated from the declaration: every declared export, probes apart', () => {
    const table = read('native/addon/generated/seam_registration.cc');
    const rows = (part: string) => [...part.matchAll(/^ {4}\{"(\w+)", /gm)].map((match) => match[1]);
    const [main, probes] = table.split('kProbeExports');
    assert.deepEqual(rows(main), declared.exports.map((entry) => entry.name));
    assert.deepEqual(rows(probes), declared.probeExports.map((entry) => entry.name));
  });
});
