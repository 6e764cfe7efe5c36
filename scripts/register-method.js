#!/usr/bin/env node
// Registers an EAP method module with EAPHost, or removes it, by writing the registry values
// EAPHost reads at
//   HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods\<AuthorId>\<Type>
//   HKLM\...\Methods\<AuthorId>\254\<VendorId>\<VendorType>      (expanded types)
// It drives Windows' own reg.exe, so it works the same on Windows and under Wine, and needs
// an elevated prompt on Windows (HKLM).
//
//   node scripts/register-method.js register --dll C:\path\eap_methods.dll [--peer] [--authenticator]
//        [--type 4] [--author 32473] [--vendor-id N --vendor-type N] [--name "EAP-MD5 (eaphost)"]
//        [--properties N] [--author-name NAME]
//   node scripts/register-method.js register --dll C:\path\eap_methods.dll --shipped
//   node scripts/register-method.js unregister [--peer] [--authenticator] [--type 4] [--author 32473]
//   node scripts/register-method.js unregister --shipped
//   node scripts/register-method.js show [--type 4] [--author 32473]
//
// --shipped means every method of scripts/shipped-methods.js (one module serves them all: each
// type gets its own key pointing at the same DLL, with the method's friendly name, its true
// Properties bits and the author's name). The author's name goes in the <AuthorId> key twice,
// as its default value (GEANTLink's registration) and as "Name" (what an export of Windows' own
// author keys shows), until the first windows-latest run says which one GetMethods reads
// (docs/WINDOWS-CONTRACT.md, test/windows-real/method-registration.test.ts). Windows'
// supplicants (dot3svc, wlansvc) choose methods by the Properties bits, so 0 hides a method.
// Without --peer or --authenticator both sides are meant. Unregistering one side leaves the
// other's values alone; the key goes only when nothing is left in it.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
// Registration targets Windows (natively or in a Wine prefix), with the module of this node's
// architecture: every method, the TLS-based ones too except on Arm (scripts/shipped-methods.js).
const shippedMethods = require('./shipped-methods').shippedMethodsFor('win32', process.arch);

const METHODS_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods';
const EXPANDED_TYPE = 254; // RFC 3748 §5.7

// 32473 is the documentation Private Enterprise Number (RFC 5612), the author id the
// package's own manifest uses for its modules.
// Where the author's name is written: the <AuthorId> key's default value and its "Name" value.
const AUTHOR_NAME_PLACES = ['(Default)', 'Name'];
const DEFAULTS = { type: 4, author: 32473, name: 'EAP-MD5 (eaphost)', properties: 0, authorName: 'eaphost' };

// Values per side, as Microsoft documents them. The two *Dialog values are required for a
// peer method: 0 means the method collects its own credentials (ours take them from the
// caller's user data) instead of EAPHost's generic dialogs.
const PEER_VALUES = ['PeerDllPath', 'PeerFriendlyName', 'PeerInvokeUsernameDialog',
  'PeerInvokePasswordDialog'];
const AUTHENTICATOR_VALUES = ['AuthenticatorDllPath', 'AuthenticatorFriendlyName'];
// Shared by both sides: removed only with the last side.
const SHARED_VALUES = ['Properties'];

class UsageError extends Error {}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const options = { command, peer: false, authenticator: false };
  const numeric = { '--type': 'type', '--author': 'author', '--vendor-id': 'vendorId',
    '--vendor-type': 'vendorType', '--properties': 'properties' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--peer') options.peer = true;
    else if (arg === '--shipped') options.shipped = true;
    else if (arg === '--authenticator') options.authenticator = true;
    else if (arg === '--dll' || arg === '--name' || arg === '--author-name' || arg in numeric) {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === '--dll') options.dll = value;
      else if (arg === '--name') options.name = value;
      else if (arg === '--author-name') options.authorName = value;
      else {
        // Decimal or 0x-hex, and it must fit a DWORD.
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
          throw new UsageError(`${arg} must be an integer from 0 to 4294967295, got "${value}"`);
        }
        options[numeric[arg]] = n;
      }
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  if (!options.peer && !options.authenticator) options.peer = options.authenticator = true;
  if (options.shipped && ['type', 'name', 'author', 'vendorId', 'vendorType', 'properties', 'authorName']
    .some((k) => options[k] !== undefined)) {
    throw new UsageError('--shipped takes each method\'s type, name, author and properties from scripts/shipped-methods.js');
  }
  options.type = options.type ?? DEFAULTS.type;
  options.author = options.author ?? DEFAULTS.author;
  options.name = options.name ?? DEFAULTS.name;
  options.properties = options.properties ?? DEFAULTS.properties;
  options.authorName = options.authorName ?? DEFAULTS.authorName;
  if (options.type < 1 || options.type > 255) throw new UsageError('--type must be 1..255');
  const expanded = options.type === EXPANDED_TYPE;
  if (expanded !== (options.vendorId !== undefined && options.vendorType !== undefined)) {
    throw new UsageError('--vendor-id and --vendor-type go with --type 254, and only with it');
  }
  if (expanded && options.vendorId > 0xffffff) throw new UsageError('--vendor-id is 24-bit');
  return options;
}

function methodKey(options) {
  const parts = [METHODS_KEY, String(options.author), String(options.type)];
  if (options.type === EXPANDED_TYPE) parts.push(String(options.vendorId), String(options.vendorType));
  return parts.join('\\');
}

function authorKey(options) {
  return [METHODS_KEY, String(options.author)].join('\\');
}

// EAPHost loads the DLL from inside its service, whose current directory is not the caller's:
// only a path that is absolute (drive or UNC), or one rooted in an environment variable such
// as %SystemRoot% that REG_EXPAND_SZ expands, means the same file there.
function checkDllPath(dll) {
  if (!dll) throw new UsageError('register needs --dll <absolute path to the method DLL>');
  const rooted = /^[A-Za-z]:[\\/]/.test(dll) || /^\\\\[^\\]/.test(dll);
  const fromVariable = /^%[A-Za-z_][A-Za-z0-9_]*%[\\/]/.test(dll);
  if (!rooted && !fromVariable) {
    throw new UsageError(`--dll must be an absolute path (C:\\... or \\\\server\\...), got "${dll}"`);
  }
  if (rooted && !fs.existsSync(dll)) throw new UsageError(`--dll: no such file: ${dll}`);
  return rooted ? dll.replace(/\//g, '\\') : dll;
}

function reg(args, { allowMissing = false } = {}) {
  const result = spawnSync('reg.exe', args, { encoding: 'utf8', windowsHide: true });
  if (result.error) throw new Error(`cannot run reg.exe: ${result.error.message}`);
  if (result.status !== 0) {
    if (allowMissing) return null;
    const detail = `${result.stderr || ''}${result.stdout || ''}`.trim();
    throw new Error(`reg.exe ${args[0]} ${args[1]} failed (exit ${result.status}): ${detail}`);
  }
  return result.stdout;
}

// `reg query <key>` → { values: Map(name → {type, data}), subkeys: [full names] }, or null
// when the key does not exist. Value lines are "    Name    REG_TYPE    data"; reg.exe and
// Wine's reg both indent with four spaces and separate columns with four spaces.
function queryKey(key) {
  const out = reg(['query', key], { allowMissing: true });
  if (out === null) return null;
  const values = new Map();
  const subkeys = [];
  const keyUpper = key.toUpperCase().replace(/^HKLM\\/, 'HKEY_LOCAL_MACHINE\\');
  for (const line of out.split(/\r?\n/)) {
    const value = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (value) {
      values.set(value[1], { type: value[2], data: value[3] ?? '' });
    } else if (line.trim() && line.toUpperCase().startsWith(keyUpper + '\\')) {
      subkeys.push(line.trim());
    }
  }
  return { values, subkeys };
}

function addValue(key, name, type, data) {
  reg(['add', key, '/v', name, '/t', type, '/d', String(data), '/f']);
}

function register(options) {
  const dll = checkDllPath(options.dll);
  const key = methodKey(options);
  if (options.peer) {
    addValue(key, 'PeerDllPath', 'REG_EXPAND_SZ', dll);
    addValue(key, 'PeerFriendlyName', 'REG_SZ', options.name);
    addValue(key, 'PeerInvokeUsernameDialog', 'REG_DWORD', 0);
    addValue(key, 'PeerInvokePasswordDialog', 'REG_DWORD', 0);
  }
  if (options.authenticator) {
    addValue(key, 'AuthenticatorDllPath', 'REG_EXPAND_SZ', dll);
    addValue(key, 'AuthenticatorFriendlyName', 'REG_SZ', options.name);
  }
  addValue(key, 'Properties', 'REG_DWORD', options.properties);
  // The author's name, which GetMethods reports for every method of the author: both places
  // Windows may read it from (the header comment).
  for (const place of AUTHOR_NAME_PLACES) {
    reg(['add', authorKey(options), ...(place === '(Default)' ? ['/ve'] : ['/v', place]), '/t', 'REG_SZ', '/d', options.authorName, '/f']);
  }
  const sides = [options.peer && 'peer', options.authenticator && 'authenticator'].filter(Boolean);
  console.log(`registered ${sides.join(' and ')} side of ${options.name} at ${key}`);
}

// Deletes `key` and then each empty ancestor below the Methods key, so an uninstall leaves
// no empty <AuthorId> key behind; stops at the first one still holding anything.
function deleteKeyAndEmptyParents(key) {
  reg(['delete', key, '/f']);
  let parent = key.slice(0, key.lastIndexOf('\\'));
  while (parent.length > METHODS_KEY.length) {
    const state = queryKey(parent);
    // The author's name is ours too: it goes with the author's last method.
    const values = state ? [...state.values.keys()].filter((name) => !AUTHOR_NAME_PLACES.includes(name)) : [];
    if (!state || values.length > 0 || state.subkeys.length > 0) break;
    reg(['delete', parent, '/f']);
    parent = parent.slice(0, parent.lastIndexOf('\\'));
  }
}

function unregister(options) {
  const key = methodKey(options);
  const state = queryKey(key);
  if (!state) {
    console.log(`nothing registered at ${key}`);
    return;
  }
  const removing = [...(options.peer ? PEER_VALUES : []),
    ...(options.authenticator ? AUTHENTICATOR_VALUES : [])];
  for (const name of removing) {
    if (state.values.has(name)) {
      reg(['delete', key, '/v', name, '/f']);
      state.values.delete(name);
    }
  }
  const sideLeft = ['PeerDllPath', 'AuthenticatorDllPath'].some((name) => state.values.has(name));
  if (!sideLeft) {
    for (const name of SHARED_VALUES) {
      if (state.values.has(name)) {
        reg(['delete', key, '/v', name, '/f']);
        state.values.delete(name);
      }
    }
  }
  // Anything else (values or subkeys another tool added) keeps the key alive.
  if (state.values.size === 0 && state.subkeys.length === 0) {
    deleteKeyAndEmptyParents(key);
    console.log(`unregistered; removed ${key}`);
  } else {
    console.log(`unregistered ${options.peer ? 'peer' : ''}${options.peer && options.authenticator ? ' and ' : ''}` +
      `${options.authenticator ? 'authenticator' : ''} side; kept ${key} (${[...state.values.keys()].join(', ')})`);
  }
}

function show(options) {
  const key = methodKey(options);
  const state = queryKey(key);
  const values = state ? Object.fromEntries(state.values) : null;
  console.log(JSON.stringify({ key, values }, null, 2));
}

function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
    if (process.platform !== 'win32') {
      throw new Error('register-method.js writes the Windows registry: run it with a Windows ' +
        'node.exe (on Windows, or under Wine)');
    }
    const targets = options.shipped
      ? shippedMethods.map((m) => ({ ...options, type: m.type, name: m.friendlyName, author: m.authorId,
        properties: m.properties, authorName: m.authorName }))
      : [options];
    for (const target of targets) {
      if (options.command === 'register') register(target);
      else if (options.command === 'unregister') unregister(target);
      else if (options.command === 'show') show(target);
      else throw new UsageError(`unknown command "${options.command ?? ''}" (register, unregister, show)`);
    }
    return 0;
  } catch (err) {
    console.error(`register-method: ${err.message}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { main, parseArgs, methodKey, checkDllPath, queryKey, METHODS_KEY };
