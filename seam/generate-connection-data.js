// The connection-data side of seam/generate.js: from seam/connection_data.js, the TS declarations
// lib/core/connection-data.ts encodes with (lib/core/generated/connection-data-format.ts) and the
// C++ header the methods read with (native/methods/support/generated/connection_data_format.h, beside
// the codec: the method modules include it, and no addon code).
'use strict';

const { wrap } = require('./generate-args.js');

const pascal = (name) => name[0].toUpperCase() + name.slice(1);
const READERS = new Set(['method', 'xml']);
const KINDS = new Set(['pem', 'dnsName', 'utf8', 'secret', 'path', 'url', 'flags', 'tlsVersion', 'eapTypes', 'eapType', 'byte',
  'uint32', 'storeCertificate']);

/** The declaration's problems: numbers a reader cannot keep one bit of, gaps, unknown kinds or readers. */
function checkConnectionData(declaration) {
  const problems = [];
  declaration.types.forEach((type, i) => {
    // ParseTlsConfig keeps one bit of a 32-bit word per type it has seen; IsConnectionDataType reads a range.
    if (type.number !== i + 1) problems.push(`${type.name}: type ${type.number} breaks the run 1, 2, 3, ... (it is the ${i + 1}th)`);
    if (type.number > 31) problems.push(`${type.name}: type ${type.number} is over 31`);
    if (!KINDS.has(type.value)) problems.push(`${type.name}: unknown value kind ${type.value}`);
    if (!type.readers?.length || !type.readers.every((reader) => READERS.has(reader)) || !type.readers.includes('method')) {
      problems.push(`${type.name}: readers must name 'method' (every type's reader) and may name 'xml'`);
    }
    if (!type.doc) problems.push(`${type.name}: no doc`);
  });
  declaration.flags.forEach((flag, i) => {
    if (flag.bit !== i) problems.push(`${flag.name}: bit ${flag.bit} breaks the run 0, 1, 2, ... (it is the ${i + 1}th)`);
  });
  if (declaration.flags.length > 32) problems.push('more than 32 flags');
  if (problems.length > 0) throw new Error(`seam/connection_data.js: ${problems.join('; ')}`);
}

const magicBytes = (magic) => [...Buffer.from(magic, 'latin1')].map((b) => `0x${b.toString(16)}`).join(', ');
const flagMask = (flag) => 2 ** flag.bit;
const hex = (value) => `0x${value.toString(16).toUpperCase()}u`;
const readersOf = (type) => type.readers.join(' and ');

// ---- C++ ----

function cppConnectionData(declaration, notice) {
  checkConnectionData(declaration);
  const types = declaration.types;
  const enumerator = (type) => `ConnectionDataType::k${pascal(type.name)}`;
  const declared = declaration.flags.reduce((all, flag) => all + flagMask(flag), 0);
  const sized = types.filter((type) => type.size !== undefined);
  const out = [
    `// ${notice}`,
    `// The connection data of the TLS-based methods, format version ${declaration.version}: "${declaration.magic}" | version |`,
    '// { Type (1) | Length (4, big-endian) | Value } ... to the end. Unknown types and duplicates (but the',
    '// repeatable types) are errors; an empty blob means "all defaults". The types, each with its readers',
    '// (method: ParseTlsConfig, tls/tls_config.cc; xml: the configuration XML, support/config_xml.cc):',
    '//',
  ];
  for (const type of types) {
    const head = `//  ${String(type.number).padStart(2)} ${type.name} (${type.value}${type.size ? `, ${type.size} byte${type.size === 1 ? '' : 's'}` : ''}` +
      `${type.repeatable ? ', repeatable' : ''}; ${readersOf(type)})`;
    out.push(head, ...wrap(type.doc, '//        '));
  }
  out.push(
    '#pragma once',
    '',
    '#include <cstddef>',
    '#include <cstdint>',
    '',
    'namespace eaphost {',
    '',
    `constexpr std::uint8_t kConnectionDataMagic[4] = {${magicBytes(declaration.magic)}};  // "${declaration.magic}"`,
    `constexpr std::uint8_t kConnectionDataVersion = ${declaration.version};`,
    '// Type (1) | Length (4): the bytes before each value.',
    'constexpr std::size_t kConnectionDataTlvHeader = 5;',
    '',
  );
  for (const limit of declaration.limits) {
    out.push(...wrap(limit.doc, '// '));
    const cppType = limit.name === 'sessionLifetime' ? 'std::uint32_t' : 'std::size_t';
    out.push(`constexpr ${cppType} kConnectionDataMax${pascal(limit.name)} = ${limit.value};`);
  }
  out.push('', '// The TLV types.', 'enum class ConnectionDataType : std::uint8_t {');
  for (const type of types) out.push(`  k${pascal(type.name)} = ${type.number},`);
  out.push('};', '');
  out.push('// The bits of the flags type\'s value.', 'struct ConnectionDataFlag {');
  for (const flag of declaration.flags) {
    out.push(...wrap(`Bit ${flag.bit}: ${flag.doc}`, '  // '));
    out.push(`  static constexpr std::uint32_t k${pascal(flag.name)} = ${hex(flagMask(flag))};`);
  }
  out.push(
    '  // Every declared bit (a value with another one set is refused), and the highest of them.',
    `  static constexpr std::uint32_t kDeclared = ${hex(declared)};`,
    `  static constexpr unsigned kLastBit = ${declaration.flags.length - 1};`,
    '};',
    '',
    '// Whether a TLV\'s type byte is a declared type.',
    'constexpr bool IsConnectionDataType(std::uint8_t number) {',
    `  return number >= ${types[0].number} && number <= ${types[types.length - 1].number};`,
    '}',
    '',
    '// The name errors give a type by (the declaration\'s).',
    'constexpr const char* ConnectionDataTypeName(ConnectionDataType type) {',
    '  switch (type) {',
    ...types.map((type) => `    case ${enumerator(type)}: return "${type.name}";`),
    '  }',
    '  return "unknown";',
    '}',
    '',
    '// Whether a blob may hold the type more than once.',
    'constexpr bool ConnectionDataRepeatable(ConnectionDataType type) {',
    `  return ${types.filter((type) => type.repeatable).map((type) => `type == ${enumerator(type)}`).join(' || ')};`,
    '}',
    '',
    '// Whether the configuration XML (support/config_xml.cc) has an element for the type.',
    'constexpr bool ConnectionDataXmlReads(ConnectionDataType type) {',
    '  switch (type) {',
    ...types.filter((type) => type.readers.includes('xml')).map((type) => `    case ${enumerator(type)}:`),
    '      return true;',
    '    default:',
    '      return false;',
    '  }',
    '}',
    '',
    '// The one size of a fixed-size value; 0 for a value of variable size.',
    'constexpr std::size_t ConnectionDataValueSize(ConnectionDataType type) {',
    '  switch (type) {',
    ...sized.map((type) => `    case ${enumerator(type)}: return ${type.size};`),
    '    default:',
    '      return 0;',
    '  }',
    '}',
    '',
    '// A big-endian number of `size` bytes (at most 4): a TLV\'s length, a flags, uint32 or tlsVersion value.',
    'inline std::uint32_t ConnectionDataNumber(const std::uint8_t* bytes, std::size_t size) {',
    '  std::uint32_t value = 0;',
    '  for (std::size_t i = 0; i < size; ++i) value = value << 8 | bytes[i];',
    '  return value;',
    '}',
    '',
    '}  // namespace eaphost',
    '',
  );
  return out.join('\n');
}

// ---- TS ----

function tsMembers(entries) {
  const out = [];
  for (const { doc, key, value } of entries) {
    out.push(...(doc.length < 100 ? [`  /** ${doc} */`] : ['  /**', ...wrap(doc, '   * '), '   */']));
    out.push(`  ${key}: ${value},`);
  }
  return out;
}

function tsConnectionData(declaration, notice) {
  checkConnectionData(declaration);
  const types = declaration.types;
  return [
    `// ${notice}`,
    '/**',
    ` * The connection data's format (version ${declaration.version}): its magic, bounds, TLV types and flag bits, as`,
    ' * native/methods/support/generated/connection_data_format.h declares them to the methods that read it.',
    ' * lib/core/connection-data.ts encodes with them.',
    ' */',
    '',
    `export const CONNECTION_DATA_MAGIC = Buffer.from('${declaration.magic}', 'latin1');`,
    `export const CONNECTION_DATA_VERSION = ${declaration.version};`,
    '',
    '/** The bounds every writer checks first and every reader refuses past. */',
    'export const CONNECTION_DATA_LIMITS = {',
    ...tsMembers(declaration.limits.map((limit) => ({ doc: limit.doc, key: limit.name, value: limit.value }))),
    '} as const;',
    '',
    `/** TLV types of connection-data version ${declaration.version}. */`,
    'export const ConnectionDataType = {',
    ...tsMembers(types.map((type) => ({ doc: `${type.doc} Read by: ${readersOf(type)}.`, key: pascal(type.name), value: type.number }))),
    '} as const;',
    '',
    '/** The one size of each fixed-size value. */',
    'export const CONNECTION_DATA_VALUE_SIZES = {',
    ...types.filter((type) => type.size !== undefined).map((type) => `  ${pascal(type.name)}: ${type.size},`),
    '} as const;',
    '',
    '/** The bits of the flags type\'s value. */',
    'export const ConnectionDataFlag = {',
    ...tsMembers(declaration.flags.map((flag) => ({ doc: `Bit ${flag.bit}: ${flag.doc}`, key: pascal(flag.name), value: flagMask(flag) }))),
    '} as const;',
    '',
  ].join('\n');
}

module.exports = { cppConnectionData, tsConnectionData, checkConnectionData };
