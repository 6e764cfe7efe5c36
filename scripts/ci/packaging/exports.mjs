// The installed package's exports map, from an ES module: each public entry point gives the same
// names to import and require() (one instance behind both), the README's RadiusEapTransport comes
// from eaphost/radius, and nothing private is reachable by either, however it is spelled.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const problems = [];
const entries = ['eaphost', 'eaphost/radius', 'eaphost/profile', 'eaphost/eapol'];
for (const entry of entries) {
  const esm = await import(entry);
  const cjs = require(entry);
  // Node 23 onward (24.22 and 26 here; not 22.23) also names a CommonJS module's whole
  // module.exports 'module.exports' in its namespace: require()'s object, not a name of ours.
  if ('module.exports' in esm && esm['module.exports'] !== cjs) {
    problems.push(`${entry}: import's 'module.exports' is not what require() gives`);
  }
  const ours = (name) => name !== 'default' && name !== '__esModule' && name !== 'module.exports';
  const esmNames = Object.keys(esm).filter(ours).sort();
  const cjsNames = Object.keys(cjs).filter((name) => name !== '__esModule').sort();
  if (cjsNames.length < 3) problems.push(`${entry}: require() gives only ${cjsNames.join(', ')}`);
  if (JSON.stringify(esmNames) !== JSON.stringify(cjsNames)) {
    problems.push(`${entry}: import gives ${esmNames.length} names, require() ${cjsNames.length}: ` +
      `${[...cjsNames.filter((n) => !esmNames.includes(n)), ...esmNames.filter((n) => !cjsNames.includes(n))].join(', ')}`);
  }
  for (const name of esmNames) if (esm[name] !== cjs[name]) problems.push(`${entry}: ${name} differs between import and require()`);
}
const { RadiusEapTransport, RadiusClient, RadiusServer } = await import('eaphost/radius');
for (const [name, value] of Object.entries({ RadiusEapTransport, RadiusClient, RadiusServer })) {
  if (typeof value !== 'function') problems.push(`eaphost/radius has no ${name}`);
}
const { shippedConfigXml, microsoftConfigXml } = await import('eaphost/profile');
if (!shippedConfigXml('md5').includes('<EapHostConfig')) problems.push('eaphost/profile: shippedConfigXml wrote no EapHostConfig');
if (typeof microsoftConfigXml !== 'function') problems.push('eaphost/profile has no microsoftConfigXml');
const { EapolSupplicant, EapolAuthenticator, openEapolPort } = await import('eaphost/eapol');
for (const [name, value] of Object.entries({ EapolSupplicant, EapolAuthenticator, openEapolPort })) {
  if (typeof value !== 'function') problems.push(`eaphost/eapol has no ${name}`);
}
if ((await import('eaphost')).openEapHost !== require('eaphost').openEapHost) problems.push('two instances of eaphost');

const { version } = require('eaphost/package.json');
if (typeof version !== 'string') problems.push('eaphost/package.json is not readable');
const schema = require('eaphost/schema/cli-output.schema.json');
if (typeof schema !== 'object' || schema === null) problems.push('eaphost/schema/cli-output.schema.json is not readable');

for (const spec of ['eaphost/dist/lib/radius', 'eaphost/dist/lib/radius/index.js', 'eaphost/dist/lib/index.js',
  'eaphost/dist/lib/native', 'eaphost/dist/esm/index.mjs', 'eaphost/scripts/install/install.js', 'eaphost/lib/index.ts',
  'eaphost/radius/index', 'eaphost/prebuilds/linux-x64/eaphost.napi.node']) {
  try {
    require(spec);
    problems.push(`require('${spec}') worked; it must not`);
  } catch (err) {
    if (err.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') problems.push(`require('${spec}') failed with ${err.code}, not ERR_PACKAGE_PATH_NOT_EXPORTED`);
  }
  try {
    await import(spec);
    problems.push(`import('${spec}') worked; it must not`);
  } catch (err) {
    if (err.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') problems.push(`import('${spec}') failed with ${err.code}, not ERR_PACKAGE_PATH_NOT_EXPORTED`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`exports: ${problem}`);
  process.exit(1);
}
console.log(`exports: ${entries.join(', ')} give the same names to import and require(); private paths are refused`);
