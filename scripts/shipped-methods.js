#!/usr/bin/env node
// Reads native/methods/methods.json, the one method table, for the manifest writer, the
// registration script and the builds, and writes what is derived from it:
//   shipped-methods.js header <dir>   <dir>/method_table.h for the native catalog (both builds)
//   shipped-methods.js ts <file>      lib/'s method names and types (before tsc)
//   shipped-methods.js schema <file>  the CLI output schema's list of method names (and the network
//                                     profile schema's method lists, in the same folder)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const table = JSON.parse(fs.readFileSync(path.join(root, 'native', 'methods', 'methods.json'), 'utf8'));

// A row that would generate broken C++ or an ambiguous name fails here, at build time, naming it.
const seenNames = new Set();
const seenTypes = new Set();
for (const m of table.methods) {
  if (!/^[a-z][a-z0-9]*$/.test(m.name) || seenNames.has(m.name)) throw new Error(`methods.json: bad or repeated name ${JSON.stringify(m.name)}`);
  if (!Number.isInteger(m.type) || m.type < 4 || m.type > 253 || seenTypes.has(m.type)) throw new Error(`methods.json: ${m.name}: bad or repeated EAP type ${m.type}`);
  if (typeof m.title !== 'string' || !/^[\x20-\x7e]+$/.test(m.title) || /["\\]/.test(m.title)) throw new Error(`methods.json: ${m.name}: bad title`);
  if (typeof m.tls !== 'boolean' || typeof m.inner !== 'boolean') throw new Error(`methods.json: ${m.name}: tls and inner are booleans`);
  if (m.teapInner !== undefined && (typeof m.teapInner !== 'boolean' || m.inner)) {
    throw new Error(`methods.json: ${m.name}: teapInner is a boolean, for a method that is not inner to every tunnel`);
  }
  if (!Array.isArray(m.sources) || m.sources.some((s) => typeof s !== 'string' || !s.startsWith(`${m.name}/`))) {
    throw new Error(`methods.json: ${m.name}: sources are files of the method's folder`);
  }
  seenNames.add(m.name);
  seenTypes.add(m.type);
}

// 32473 is IANA's Private Enterprise Number for documentation (RFC 5612): a vendor shipping
// these modules under its own name should register with its own PEN.
const EAPHOST_AUTHOR_ID = table.authorId;

// What each method really provides, as eapProp* bits (1 << EAP_METHOD_PROPERTY_TYPE): the same
// claims the module's EapPeerGetMethodProperties reports without connection data
// (native/method_module/method_properties.cc). EAPHost's GetMethods hands out the registered
// value, and Windows' supplicants pick methods by it; test/method-properties.test.ts holds the
// two to one another through the module itself.
const PROP = Object.freeze({
  cipherSuiteNegotiation: 1 << 0, mutualAuth: 1 << 1, integrity: 1 << 2, replayProtection: 1 << 3,
  confidentiality: 1 << 4, keyDerivation: 1 << 5, keyStrength128: 1 << 7, keyStrength256: 1 << 8,
  keyStrength512: 1 << 9, dictionaryAttackResistance: 1 << 11, sessionIndependence: 1 << 14,
  fragmentation: 1 << 15, standalone: 1 << 18, mppeEncryption: 1 << 19, tunnelMethod: 1 << 20,
  supportsConfig: 1 << 21, machineAuth: 1 << 24, userAuth: 1 << 25,
});
const bits = (...names) => names.reduce((sum, name) => sum | PROP[name], 0) >>> 0;
// A password without keys: the peer proves itself, nothing more.
const PASSWORD_ONLY = bits('userAuth', 'standalone', 'supportsConfig');
// MS-CHAPv2 also checks the authenticator response (RFC 2759) and derives MPPE keys (RFC 3079).
const MSCHAPV2 = (PASSWORD_ONLY | bits('mutualAuth', 'keyDerivation', 'keyStrength128', 'mppeEncryption')) >>> 0;
const TLS = bits('cipherSuiteNegotiation', 'mutualAuth', 'integrity', 'replayProtection', 'confidentiality',
  'keyDerivation', 'keyStrength128', 'keyStrength256', 'keyStrength512', 'dictionaryAttackResistance',
  'sessionIndependence', 'fragmentation', 'standalone', 'mppeEncryption', 'supportsConfig', 'machineAuth', 'userAuth');
const TUNNEL = (TLS | PROP.tunnelMethod) >>> 0;

/** The name registered as the author (the <AuthorId> key's default value). */
const EAPHOST_AUTHOR_NAME = table.authorName;

// `tls: true` marks the methods built on the TLS engine (GnuTLS): built wherever GnuTLS exists,
// which is every target but Windows on Arm (on Windows, GnuTLS cross-built from Debian's source
// packages by scripts/ci/gnutls-mingw.sh; Debian has no aarch64 mingw-w64 to build it for
// win32-arm64), so the win32-arm64 module keeps the others only.
const PROPERTIES = Object.freeze({ password: PASSWORD_ONLY, mschapv2: MSCHAPV2, tls: TLS, tunnel: TUNNEL });
const allShippedMethods = Object.freeze(table.methods.map((m) => {
  if (!(m.properties in PROPERTIES)) throw new Error(`methods.json: ${m.name}: unknown properties '${m.properties}'`);
  return Object.freeze({
    name: m.name, type: m.type, title: m.title, friendlyName: `${m.title} (eaphost)`, tls: m.tls, inner: m.inner,
    authorId: EAPHOST_AUTHOR_ID, authorName: EAPHOST_AUTHOR_NAME, properties: PROPERTIES[m.properties],
  });
}));

/** Whether a build for `platform` and `arch` (process.platform / process.arch values) has the
 *  TLS engine: all but win32-arm64. */
function hasTlsEngine(platform, arch) {
  return !(platform === 'win32' && arch === 'arm64');
}

/** Whether a build for `platform` and `arch` (process.platform / process.arch values, or gyp's OS
 *  names) compiles the TLS engine, given the GnuTLS for Windows prefix it was handed (a Windows
 *  build links GnuTLS from there, scripts/ci/gnutls-mingw.sh): `line` says in one line what a
 *  build without it leaves out. A prefix without GnuTLS in it is a mistake, not a choice: it throws. */
function tlsEngine(platform, arch, gnutlsPrefix = '') {
  const os = { win: 'win32', mac: 'darwin' }[platform] ?? platform;
  const titles = (tls) => allShippedMethods.filter((m) => m.tls === tls).map((m) => m.title).join(', ');
  const without = (why) => ({ tls: false,
    line: `eaphost: ${why}: building ${titles(false)}, without the TLS-based methods (${titles(true)})` });
  if (!hasTlsEngine(os, arch)) return without(`no GnuTLS build exists for ${os}-${arch}`);
  if (os !== 'win32') return { tls: true, line: '' };
  if (!gnutlsPrefix) return without('no GnuTLS for Windows given (EAPHOST_GNUTLS_PREFIX, made by scripts/ci/gnutls-mingw.sh)');
  if (!fs.existsSync(path.join(gnutlsPrefix, 'include', 'gnutls', 'gnutls.h'))) {
    throw new Error(`EAPHOST_GNUTLS_PREFIX ("${gnutlsPrefix}") holds no GnuTLS for Windows: ` +
      'build it with scripts/ci/gnutls-mingw.sh <x64|x86> and pass the prefix it prints');
  }
  return { tls: true, line: '' };
}

/** The methods a build for `platform` and `arch` ships. */
function shippedMethodsFor(platform, arch) {
  if (typeof arch !== 'string') throw new TypeError('shippedMethodsFor(platform, arch): arch is required');
  return Object.freeze(allShippedMethods.filter((m) => !m.tls || hasTlsEngine(platform, arch)));
}

/** The methods this platform's build ships. */
const shippedMethods = shippedMethodsFor(process.platform, process.arch);

/** A method's own sources (paths from the package root). */
function methodSourcesOf(name) {
  return table.methods.find((m) => m.name === name).sources.map((s) => `native/methods/${s}`);
}

const camel = (name) => name[0].toUpperCase() + name.slice(1);
const generated = 'Generated from native/methods/methods.json by scripts/shipped-methods.js: edit the table.';
// Help and errors list the strongest method first, the table's order reversed.
const strongestFirst = (methods) => methods.map((m) => m.name).reverse();
// What TEAP carries inside: every tunnel's inner methods, and those only TEAP carries (teapInner).
const teapInner = (methods) => methods.filter((m) => m.inner || m.teapInner === true);
const spoken = (names) => names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

function header() {
  const row = (m) => `X(${m.name}, ${m.type})`;
  const plain = table.methods.filter((m) => !m.tls);
  const inner = table.methods.filter((m) => m.inner);
  return [
    `// ${generated}`,
    '#pragma once',
    '',
    '// X(name, type) for each method this build serves, in catalog order: the TLS-based',
    '// methods only where the build has the TLS engine (EAPHOST_TLS_METHODS).',
    '#if defined(EAPHOST_TLS_METHODS)',
    `#define EAPHOST_METHOD_TABLE(X) ${table.methods.map(row).join(' ')}`,
    '#else',
    `#define EAPHOST_METHOD_TABLE(X) ${plain.map(row).join(' ')}`,
    '#endif',
    '',
    '// X(name, type) for each method a tunnel (PEAP, EAP-TTLS) may carry inside, strongest first.',
    `#define EAPHOST_INNER_METHOD_TABLE(X) ${inner.slice().reverse().map((m) => `X(${m.name}, ${m.type})`).join(' ')}`,
    `#define EAPHOST_INNER_METHOD_NAMES "${spoken(strongestFirst(inner))}"`,
    '// X(name, type) for each method TEAP may carry inside: the above, and those only TEAP carries.',
    `#define EAPHOST_TEAP_INNER_METHOD_TABLE(X) ${teapInner(table.methods).reverse().map((m) => `X(${m.name}, ${m.type})`).join(' ')}`,
    `#define EAPHOST_TEAP_INNER_METHOD_NAMES "${spoken(strongestFirst(teapInner(table.methods)))}"`,
    '',
    'namespace eaphost {',
    '',
    '// Every method\'s EAP type and title, whether this build serves it or not.',
    ...table.methods.flatMap((m) => [
      `constexpr unsigned char kEapType${camel(m.name)} = ${m.type};`,
      `constexpr const char* kMethodTitle${camel(m.name)} = "${m.title}";`,
    ]),
    '',
    '}  // namespace eaphost',
    '',
  ].join('\n');
}

function typescript() {
  const union = (methods) => methods.map((m) => `'${m.name}'`).join(' | ') || 'never';
  const rows = table.methods.map((m) =>
    `  { name: '${m.name}', type: ${m.type}, title: '${m.title}', tls: ${m.tls}, inner: ${m.inner}, teapInner: ${m.inner || m.teapInner === true} },`);
  return [
    `// ${generated}`,
    '',
    '/** Our method modules\' author id (EAP_METHOD_TYPE.dwAuthorId). */',
    `export const EAPHOST_AUTHOR_ID = ${EAPHOST_AUTHOR_ID};`,
    '',
    '/** The shipped methods, in the native catalog\'s order. */',
    'export const METHOD_TABLE = [',
    ...rows,
    '] as const;',
    '',
    '/** The names as help and errors list them: the strongest first (the table\'s order reversed). */',
    `export const SHIPPED_METHOD_NAMES = [${strongestFirst(table.methods).map((n) => `'${n}'`).join(', ')}] as const;`,
    `export const TLS_METHOD_NAMES = [${strongestFirst(table.methods.filter((m) => m.tls)).map((n) => `'${n}'`).join(', ')}] as const;`,
    `export const INNER_METHOD_NAMES = [${strongestFirst(table.methods.filter((m) => m.inner)).map((n) => `'${n}'`).join(', ')}] as const;`,
    `export const TEAP_INNER_METHOD_NAMES = [${strongestFirst(teapInner(table.methods)).map((n) => `'${n}'`).join(', ')}] as const;`,
    '',
    `export type BuiltinMethodName = ${union(table.methods)};`,
    '/** The methods that run over TLS and take connection data (CA, server names, certificates). */',
    `export type TlsMethodName = ${union(table.methods.filter((m) => m.tls))};`,
    '/** The methods PEAP and EAP-TTLS may carry inside. */',
    `export type InnerMethodName = ${union(table.methods.filter((m) => m.inner))};`,
    '/** The methods TEAP may carry inside: those of PEAP and EAP-TTLS, and those only TEAP carries. */',
    `export type TeapInnerMethodName = ${union(teapInner(table.methods))};`,
    '',
  ].join('\n');
}

function writeIfChanged(file, text) {
  // An unchanged file keeps its time stamp, so the build does not recompile what includes it.
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function writeSchema(file) {
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const names = [...strongestFirst(table.methods), 'pap', 'mab', 'profile'];
  schema.properties.method.description = `${names.join(', ')}; null for ping and acct.`;
  writeIfChanged(file, JSON.stringify(schema, null, 2) + '\n');
  // The network profile's schema, beside it: its EAP method and inner-method lists (the rest of
  // that file is written by hand, so only those arrays are replaced, in place). TEAP's inner
  // methods include EAP-TLS (the teapInner column), which the model refuses under PEAP and TTLS.
  const profileFile = path.join(path.dirname(file), 'network-profile.schema.json');
  if (!fs.existsSync(profileFile)) return;
  const list = (methods) => JSON.stringify(strongestFirst(methods)).replace(/,/g, ', ');
  const text = fs.readFileSync(profileFile, 'utf8')
    .replace(/("method": \{ "enum": )\[[^\]]*\]/, `$1${list(table.methods)}`)
    .replace(/("(?:innerMethod|teapSecondaryInnerMethod)": \{ "enum": )\[[^\]]*\]/g,
      `$1${list(table.methods.filter((m) => m.inner || m.teapInner))}`);
  writeIfChanged(profileFile, text);
}

module.exports = {
  EAPHOST_AUTHOR_ID, EAPHOST_AUTHOR_NAME, allShippedMethods, shippedMethods, shippedMethodsFor, hasTlsEngine, tlsEngine, methodSourcesOf,
  strongestFirst, spoken,
};

if (require.main === module) {
  const [what, where] = process.argv.slice(2);
  if (what === 'header' && where) writeIfChanged(path.join(where, 'method_table.h'), header());
  else if (what === 'ts' && where) writeIfChanged(where, typescript());
  else if (what === 'schema' && where) writeSchema(where);
  else if (what === 'tls-engine' && where && process.argv[4]) {
    // 1 or 0 on stdout (binding.gyp reads it as a variable, CMakeLists.txt as a value); the one
    // line saying what a build without the engine leaves out on stderr. The prefix defaults to
    // EAPHOST_GNUTLS_PREFIX (binding.gyp); CMakeLists.txt passes its cache value.
    try {
      const { tls, line } = tlsEngine(where, process.argv[4], process.argv[5] ?? process.env.EAPHOST_GNUTLS_PREFIX ?? '');
      if (line) console.error(line);
      process.stdout.write(tls ? '1' : '0');
    } catch (err) {
      console.error(`eaphost: ${err.message}`);
      process.exit(1);
    }
  } else {
    console.error('usage: shipped-methods.js header <dir> | ts <file> | schema <file> | tls-engine <platform> <arch> [gnutls-prefix]');
    process.exit(2);
  }
}
