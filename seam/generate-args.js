// The argument side of seam/generate.js: from the argument objects seam/seam_args.js
// declares, the C++ structs and their readers (native/addon/generated/arg_structs.h) and the TS
// interfaces (lib/native/generated/arg-types.ts). Every field is read once, by its literal name
// (GetField keeps no per-call string), in the declaration's order; a required field missing is
// "<name> must be <what>", a mistyped one the same or its reader's own TypeError.
'use strict';

// Per type: the C++ member type, what a required field must be, the reader of a present value
// (`v`, `name`), and the TS type.
const TYPES = {
  handle: { cpp: 'NativeHandleArg', what: 'a native handle', read: 'HandleValue(env, v, name)', ts: 'NativeHandle' },
  handles: { cpp: 'std::vector<NativeHandleArg>', what: 'an array', read: 'HandlesValue(env, v, name, max)', ts: 'readonly NativeHandle[]' },
  dword: { cpp: 'eap::DWORD', what: 'a number', read: 'DwordValue(env, v, name)', ts: 'number' },
  number: { cpp: 'double', what: 'a number', read: 'NumberValue(env, v, name)', ts: 'number' },
  uint32Array: { cpp: 'std::vector<uint32_t>', what: 'a Uint32Array', read: 'Uint32ArrayValue(env, v, name)', ts: 'Uint32Array' },
  u16: { cpp: 'uint16_t', what: 'a number', read: 'PortValue(env, v, name)', ts: 'number' },
  wholeMs: { cpp: 'uint64_t', what: 'a number', read: 'WholeMsValue(env, v, name)', ts: 'number' },
  bool: { cpp: 'bool', what: 'a boolean', read: 'BoolValue(env, v, name)', ts: 'boolean' },
  string: { cpp: 'std::string', what: 'a string', read: 'StringValue(env, v, name)', ts: 'string' },
  u16string: { cpp: 'std::u16string', what: 'a string', read: 'WideValue(env, v, name)', ts: 'string' },
  strings: { cpp: 'std::vector<std::string>', what: 'an array', read: 'ListValue(env, v, name, max, StringValue)', ts: 'string[]' },
  u16strings: { cpp: 'std::vector<std::u16string>', what: 'an array', read: 'ListValue(env, v, name, max, WideValue)', ts: 'string[]' },
  numberList: { cpp: 'ArgList<eap::DWORD>', what: 'an array', read: 'ArgList<eap::DWORD>(BoundedArray(env, v, name, max), name, DwordValue)', ts: 'number[]' },
  numbers: { cpp: 'std::vector<eap::DWORD>', what: 'an array', read: 'ListValue(env, v, name, max, DwordValue)', ts: 'number[]' },
  bytes: { cpp: 'Bytes', what: 'a Buffer', read: 'BytesValue(env, v, name)', ts: 'Buffer' },
  bytesList: { cpp: 'std::vector<Bytes>', what: 'an array of Buffers', read: 'BytesListValue(env, v, name, max)', ts: '(Buffer | undefined)[]' },
  attributes: { cpp: 'Attributes', what: 'an array', read: 'AttributesValue(env, v, name, max)', ts: 'EapAttribute[]' },
  methodType: { cpp: 'eap::EAP_METHOD_TYPE', what: 'an EapMethodTypeInfo', read: 'MethodTypeOf(env, v, name)', ts: 'EapMethodTypeInfo' },
  window: { cpp: 'uintptr_t', what: 'a Buffer or a bigint', read: 'WindowValue(env, v)', ts: 'Buffer | bigint' },
  struct: { cpp: (f) => f.struct, what: 'an object', read: (f) => `Read${f.struct}(ObjectValue(env, v, name))`, ts: (f) => f.struct },
  structs: { cpp: (f) => `std::vector<${f.struct}>`, what: 'an array', read: (f) => `ListValue(env, v, name, max, Read${f.struct}Value)`, ts: (f) => `${f.struct}[]` },
  lazy: { cpp: (f) => `ArgObject<${f.struct}>`, what: 'an object', read: (f) => `ArgObject<${f.struct}>(ObjectValue(env, v, name), Read${f.struct})`, ts: (f) => f.struct },
  list: { cpp: (f) => `ArgList<${f.struct}>`, what: 'an array', read: (f) => `ArgList<${f.struct}>(BoundedArray(env, v, name, max), name, Read${f.struct}Value)`, ts: (f) => `${f.struct}[]` },
  function: { cpp: 'Napi::Function', what: 'a function', read: 'FunctionValue(env, v, name)' },
  secretText: { cpp: 'SecretText', what: 'a string', read: 'SecretText(env, v, name)', ts: 'string' },
  secretBuffer: { cpp: 'SecretBuffer', what: 'a Buffer', read: 'SecretBuffer(env, v, name)', ts: 'Buffer' },
  secretList: { cpp: 'SecretList', what: 'an array', read: 'SecretList(env, BoundedArray(env, v, name, max), name)' },
  secretObject: { cpp: 'SecretObject', what: 'an object', read: 'SecretObject(env, v, name)' },
  object: { cpp: 'Napi::Object', what: 'an object', read: 'ObjectValue(env, v, name)', reason: true },
  value: { cpp: 'Napi::Value', what: 'given', read: 'v', reason: true },
};

const at = (value, field) => (typeof value === 'function' ? value(field) : value);

// The types that are lists: each such field declares `max`, its real maximum, which the reader
// checks against the array's length before it reads or allocates anything (a sparse array's
// length may be 2^32 - 1 with nothing in it).
const LISTS = new Set(['handles', 'strings', 'u16strings', 'numberList', 'numbers', 'bytesList', 'attributes', 'structs', 'list',
  'secretList']);

/** The declaration's problems: unknown types, a JS value without its reason, a nested object
 *  not declared, a TS type missing where the type has none. */
function checkArgs(args) {
  const problems = [];
  for (const [name, object] of Object.entries(args)) {
    for (const field of object.fields) {
      const label = `${name}.${field.name}`;
      const type = TYPES[field.type];
      if (!type) { problems.push(`${label}: unknown type ${field.type}`); continue; }
      if (type.reason && !field.reason) problems.push(`${label}: a ${field.type} field needs a reason`);
      if (!type.reason && field.reason) problems.push(`${label}: only a value or object field takes a reason`);
      if (field.struct && !args[field.struct]) problems.push(`${label}: no object ${field.struct}`);
      if (!type.ts && !field.ts) problems.push(`${label}: a ${field.type} field needs its ts type`);
      if (LISTS.has(field.type) !== (field.max !== undefined)) problems.push(`${label}: a list field, and only one, has a max`);
      if (field.max !== undefined && !(Number.isInteger(field.max) && field.max >= 1 && field.max < 2 ** 32 - 1)) {
        problems.push(`${label}: max must be a whole number in 1..2^32-2`);
      }
      if ([field.optional, field.empty, field.default !== undefined].filter(Boolean).length > 1) {
        problems.push(`${label}: one of optional, empty and default`);
      }
      if (field.unless !== undefined) {
        const before = object.fields.slice(0, object.fields.indexOf(field));
        if (!before.some((other) => other.name === field.unless && other.optional)) {
          problems.push(`${label}: unless names an optional field declared before it`);
        }
        if (!field.optional && !field.empty && field.default === undefined) problems.push(`${label}: a field read unless another is given is optional`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`seam/seam_args.js:\n  ${problems.join('\n  ')}`);
}

/** The objects in an order where each comes after every object it holds. */
function argOrder(args) {
  const order = [];
  const visit = (name) => {
    if (order.includes(name)) return;
    for (const field of args[name].fields) if (field.struct) visit(field.struct);
    order.push(name);
  };
  Object.keys(args).forEach(visit);
  return order;
}

// A default as C++ writes it: numbers and booleans print alike in both languages.
const cppLiteral = (value) => String(value);
/** A field's comment on both sides: its doc, its default, why it stays a JS value. */
const docOf = (field) => {
  const text = [field.doc, field.max !== undefined ? `At most ${field.max} entries.` : '',
    field.default !== undefined ? `Default: ${JSON.stringify(field.default)}.` : ''].filter(Boolean).join(' ');
  const unless = field.unless !== undefined ? `Not read when ${field.unless} is given.` : '';
  return [text && unless && !/[.!?]$/.test(text) ? `${text}.` : text, unless,
    field.reason ? `A JS value: ${field.reason}.` : ''].filter(Boolean).join(' ');
};

/** A comment wrapped to lines of at most `width`, each opening with `lead`. */
function wrap(text, lead, width = 110) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && lead.length + line.length + 1 + word.length > width) { lines.push(lead + line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(lead + line);
  return lines;
}

function cppStruct(name, object) {
  const out = [];
  if (object.doc) out.push(...wrap(object.doc, '// '));
  if (object.calls) out.push(`// Taken by ${object.calls.join(', ')}.`);
  out.push(`struct ${name} {`);
  for (const field of object.fields) {
    const type = at(TYPES[field.type].cpp, field);
    const member = field.optional ? `std::optional<${type}>` : type;
    const init = field.default !== undefined ? ` = ${cppLiteral(field.default)}` : /^(eap::DWORD|uint16_t|uint64_t|double|bool|uintptr_t|eap::EAP_METHOD_TYPE)$/.test(member) ? '{}' : '';
    const doc = docOf(field);
    out.push(`  ${member} ${field.name}${init};${doc && doc.length < 80 ? `  // ${doc}` : ''}`);
    if (doc.length >= 80) out.splice(out.length - 1, 0, ...wrap(doc, '  // '));
  }
  // Fields holding secrets the call takes over are wiped when reading stops short, or after.
  const wiped = object.fields.filter((field) => field.wipe).map((field) => `SecureZeroContents(${field.name});`);
  if (wiped.length > 0) {
    out.push('', `  ${name}() = default;`, `  ${name}(${name}&&) = default;`, `  ${name}& operator=(${name}&&) = default;`,
      `  ~${name}() { ${wiped.join(' ')} }`);
  }
  out.push('};', '');
  return out;
}

function cppReader(name, object, listed) {
  const out = [`inline ${name} Read${name}(Napi::Object object) {`, '  Napi::Env env = object.Env();', `  ${name} out;`];
  for (const field of object.fields) {
    const type = TYPES[field.type];
    const read = at(type.read, field).replace(/\bname\b/g, `"${field.name}"`).replace(/\bmax\b/g, `${field.max}u`);
    if (field.optional || field.empty || field.default !== undefined) {
      // `unless`: not read at all when that field was given (a read costs a property lookup, and
      // an absent property's walks the prototype chain).
      const line = `if (Napi::Value v = GetField(object, "${field.name}"); !v.IsUndefined()) out.${field.name} = ${read};`;
      if (field.unless === undefined) out.push(`  ${line}`);
      else out.push(`  if (!out.${field.unless}) {`, `    ${line}`, '  }');
    } else {
      out.push(`  { Napi::Value v = RequiredField(object, "${field.name}", "${type.what}"); out.${field.name} = ${read}; }`);
    }
  }
  out.push('  return out;', '}');
  // The same from an element of a list, named by the list.
  if (listed.has(name)) {
    out.push(`inline ${name} Read${name}Value(Napi::Env env, Napi::Value value, const char* name) {`,
      `  return Read${name}(ObjectValue(env, value, name));`, '}');
  }
  out.push('');
  return out;
}

function cppArgs(args, notice) {
  checkArgs(args);
  const order = argOrder(args);
  const out = [
    `// ${notice}`,
    '// Every argument object of the addon\'s calls as a struct of real types, and its reader: each',
    '// binding reads its argument object with Read<Struct> (named_args.h has the readers of the',
    '// types, so a field is refused the same way everywhere) and checks after it only what is the',
    '// call\'s own (a range, one field of two).',
    '#pragma once',
    '',
    '#include <cstdint>',
    '#include <optional>',
    '#include <string>',
    '#include <vector>',
    '',
    '#include <napi.h>',
    '',
    '#include "../../common/secure_zero.h"',
    '#include "../runtime/named_args.h"',
    '',
    'namespace eaphost {',
    '',
  ];
  const listed = new Set(Object.values(args).flatMap((object) => object.fields)
    .filter((field) => field.type === 'structs' || field.type === 'list').map((field) => field.struct));
  for (const name of order) out.push(...cppStruct(name, args[name]), ...cppReader(name, args[name], listed));
  out.push('}  // namespace eaphost', '');
  return out.join('\n');
}

// Where the TS types the declaration names come from (the rest: the results' types seam.js
// declares, result-types.ts, or what JS passes in, raw-types.ts, which imports nothing of the
// contract, so the contract may import this file).
const TS_IMPORTS = {
  EapAttribute: '../../core/attributes',
  EapError: '../../core/errors',
  EapMethodTypeInfo: '../../core/errors',
  ResultShapes: './export-names',
};
const BUILTIN = new Set(['Buffer', 'string', 'number', 'boolean', 'bigint', 'undefined', 'void', 'readonly', 'typeof',
  'ReadonlyArray', 'Uint32Array']);

function tsArgs(args, notice, resultTypes = new Set()) {
  checkArgs(args);
  const body = [];
  const used = new Set();
  for (const name of argOrder(args)) {
    const object = args[name];
    if (object.doc) body.push('/**', ...wrap(object.doc, ' * '), ' */');
    body.push(`export interface ${name} {`);
    for (const field of object.fields) {
      const ts = field.ts ?? at(TYPES[field.type].ts, field);
      // The type names it holds: no literal, no member or parameter name.
      const names = ts.replace(/'[^']*'/g, '').replace(/\w+\??\s*:/g, '');
      for (const word of names.match(/[A-Za-z_]\w*/g) ?? []) if (!BUILTIN.has(word) && !args[word]) used.add(word);
      const doc = docOf(field);
      if (doc) body.push(...(doc.length < 90 ? [`  /** ${doc} */`] : ['  /**', ...wrap(doc, '   * '), '   */']));
      const optional = field.optional || field.empty || field.default !== undefined;
      body.push(`  ${field.name}${optional ? '?' : ''}: ${ts};`);
    }
    body.push('}', '');
  }
  const byModule = new Map();
  for (const word of [...used].sort()) {
    const key = Object.keys(TS_IMPORTS).find((k) => k === word || k.endsWith(` as ${word}`)) ?? word;
    const from = TS_IMPORTS[key] ?? (resultTypes.has(key) ? './result-types' : '../raw-types');
    byModule.set(from, [...(byModule.get(from) ?? []), key]);
  }
  const imports = [...byModule].sort(([a], [b]) => a.localeCompare(b)).map(([from, names]) => {
    const line = `import type { ${names.join(', ')} } from '${from}';`;
    return line.length <= 120 ? line : `import type {\n${wrap(`${names.join(', ')},`, '  ', 118).join('\n')}\n} from '${from}';`;
  });
  return [
    `// ${notice}`,
    '/**',
    ' * Every argument object of the addon\'s calls, field for field the struct of the same name in',
    ' * native/addon/generated/arg_structs.h, whose generated reader refuses a missing or mistyped field with',
    ' * a TypeError naming it. contract.ts re-exports them.',
    ' */',
    ...imports,
    '',
    ...body,
  ].join('\n');
}

module.exports = { cppArgs, tsArgs, checkArgs, wrap, TYPES };
