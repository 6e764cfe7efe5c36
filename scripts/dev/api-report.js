#!/usr/bin/env node
// The API report: every name each entry point of package.json's `exports` gives its users, with
// its kind and declaration, and for classes and interfaces every public member (inherited ones
// included) with its signature, read from the shipped declarations in dist/ with the TypeScript
// compiler. The report is checked in (api/eaphost.api.md) so a change to the surface shows in
// review; test/api-surface.test.ts fails when the build no longer matches it.
//
//   node scripts/dev/api-report.js           print the report of the current dist/
//   node scripts/dev/api-report.js --write   write it to api/eaphost.api.md
//   node scripts/dev/api-report.js --check   exit 1, with a diff, when the checked-in file differs
//
// Run `npm run build:ts` first: the report describes what ships, not the sources.
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..');
const REPORT = path.join('api', 'eaphost.api.md');

/** The entry points with declarations: subpath → its CommonJS .d.ts and its ES module .d.mts. */
function entryPoints() {
  const { exports: entries } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.entries(entries)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath, target]) => ({
      name: subpath === '.' ? 'eaphost' : `eaphost/${subpath.slice(2)}`,
      types: path.join(root, target.require.types),
      esmTypes: path.join(root, target.import.types),
    }));
}

function program(files, skipLibCheck = true) {
  for (const file of files) {
    if (!fs.existsSync(file)) throw new Error(`api-report: ${path.relative(root, file)} is missing; run npm run build:ts first`);
  }
  return ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    strict: true, noEmit: true, skipLibCheck, types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
  });
}

/** What a user's compiler says of the shipped declarations when it checks them (no skipLibCheck):
 *  a stripped member a public class still promises through `implements` shows here. */
function declarationDiagnostics() {
  const built = program(entryPoints().flatMap((e) => [e.types, e.esmTypes]), false);
  return ts.getPreEmitDiagnostics(built)
    .filter((d) => d.file && path.resolve(d.file.fileName).startsWith(path.join(root, 'dist') + path.sep))
    .map((d) => `${path.relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `
      + ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function print(node) {
  return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile())
    .replace(/^(export )?(declare )?/, '');
}

/** A member a user can reach: neither `private`, `protected` nor `#private`. */
function isPublicMember(node) {
  if (node.name && ts.isPrivateIdentifier(node.name)) return false;
  const flags = ts.getCombinedModifierFlags(node);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

const shipped = (node) => path.resolve(node.getSourceFile().fileName).startsWith(path.join(root, 'dist') + path.sep);

function indent(text) {
  return text.split('\n').map((line) => (line ? `  ${line}` : line)).join('\n');
}

/** A class or interface with its public members; members inherited from a shipped base follow its own. */
function describeType(checker, declaration) {
  const head = print(declaration).split('{')[0].trim();
  const lines = [];
  const own = new Set();
  for (const member of declaration.members) {
    if (!isPublicMember(member)) continue;
    if (member.name) own.add(member.name.getText());
    lines.push(indent(print(member)));
  }
  const symbol = checker.getSymbolAtLocation(declaration.name);
  const type = symbol && checker.getDeclaredTypeOfSymbol(symbol);
  const bases = type && (type.isClassOrInterface() ? checker.getBaseTypes(type) : []);
  for (const base of bases ?? []) {
    const baseName = checker.typeToString(base);
    for (const property of checker.getPropertiesOfType(base)) {
      for (const member of property.declarations ?? []) {
        const name = member.name && member.name.getText();
        if (!shipped(member) || !isPublicMember(member) || own.has(name)) continue;
        own.add(name);
        lines.push(indent(`${print(member)}  // from ${baseName}`));
      }
    }
  }
  return lines.length === 0 ? `${head} {}` : `${head} {\n${lines.join('\n')}\n}`;
}

function describe(checker, declaration) {
  if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) return describeType(checker, declaration);
  if (ts.isVariableDeclaration(declaration)) {
    const keyword = declaration.parent.flags & ts.NodeFlags.Const ? 'const' : 'let';
    const type = declaration.type ? printer.printNode(ts.EmitHint.Unspecified, declaration.type, declaration.getSourceFile())
      : checker.typeToString(checker.getTypeAtLocation(declaration));
    return `${keyword} ${declaration.name.getText()}: ${type};`;
  }
  return print(declaration);
}

const KINDS = [
  [ts.isClassDeclaration, 'class'], [ts.isInterfaceDeclaration, 'interface'], [ts.isFunctionDeclaration, 'function'],
  [ts.isVariableDeclaration, 'const'], [ts.isTypeAliasDeclaration, 'type'], [ts.isEnumDeclaration, 'enum'],
  [ts.isModuleDeclaration, 'namespace'],
];

function kindOf(declaration) {
  const found = KINDS.find(([is]) => is(declaration));
  return found ? found[1] : ts.SyntaxKind[declaration.kind];
}

/** Each name the module at `file` exports, with its kinds and declarations. */
function exportsOf(checker, sourceFile) {
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) return [];
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = (target.declarations ?? []).filter((d) => !ts.isFunctionDeclaration(d) || !d.body);
    return {
      name: symbol.getName(),
      kinds: [...new Set(declarations.map(kindOf))],
      text: declarations.map((d) => describe(checker, d)).join('\n'),
    };
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The names each entry exports, from its .d.ts (`types`) and its .d.mts (`esmTypes`). */
function exportedNames() {
  const entries = entryPoints();
  const built = program(entries.flatMap((e) => [e.types, e.esmTypes]));
  const checker = built.getTypeChecker();
  const names = (file) => exportsOf(checker, built.getSourceFile(file)).map((e) => e.name);
  return Object.fromEntries(entries.map((e) => [e.name, { types: names(e.types), esmTypes: names(e.esmTypes) }]));
}

function apiReport() {
  const entries = entryPoints();
  const built = program(entries.map((e) => e.types));
  const checker = built.getTypeChecker();
  const out = [
    '# The API of eaphost',
    '',
    'Generated from the shipped declarations by `node scripts/dev/api-report.js --write` (after',
    '`npm run build:ts`); do not edit by hand. test/api-surface.test.ts fails when the build differs',
    'from this file, so every change to what users can import shows here in review. Private members',
    'are left out; members a class or interface inherits from a shipped base are marked `// from`.',
  ];
  for (const entry of entries) {
    const exported = exportsOf(checker, built.getSourceFile(entry.types));
    out.push('', `## \`${entry.name}\``, '', `${exported.length} exports (${path.relative(root, entry.types).split(path.sep).join('/')}).`, '');
    out.push('| name | kind |', '| --- | --- |');
    for (const e of exported) out.push(`| \`${e.name}\` | ${e.kinds.join(', ')} |`);
    out.push('', '```ts');
    for (const e of exported) out.push(e.text);
    out.push('```');
  }
  return out.join('\n') + '\n';
}

/** The symbol a reference names: an alias resolved to what it stands for. */
function target(checker, symbol) {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The symbols one shipped declaration names in what a user sees of it: its type annotations,
 *  parameters, results, heritage and type arguments; not a class's private or protected members. */
function referencedSymbols(checker, declaration) {
  const found = [];
  const add = (symbol) => { if (symbol) found.push(target(checker, symbol)); };
  const leftmost = (name) => (ts.isQualifiedName(name) ? leftmost(name.left) : name);
  const visit = (node) => {
    if ((ts.isClassElement(node) || ts.isTypeElement(node)) && node !== declaration && !isPublicMember(node)) return;
    if (ts.isTypeReferenceNode(node)) add(checker.getSymbolAtLocation(leftmost(node.typeName)));
    else if (ts.isExpressionWithTypeArguments(node)) add(checker.getSymbolAtLocation(node.expression));
    else if (ts.isTypeQueryNode(node)) add(checker.getSymbolAtLocation(leftmost(node.exprName)));
    else if (ts.isImportTypeNode(node)) {
      const type = checker.getTypeFromTypeNode(node);
      add(type.aliasSymbol ?? type.getSymbol());
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration);
  return found;
}

/**
 * Every type a public signature reaches that no entry exports by name (the rule API Extractor
 * calls ae-forgotten-export): a user could not name what they must pass or may receive. Each is
 * "Name, reached from entry: Export" with the first export through which it is reached; the
 * walk follows the types it finds, so a type reachable only through another is found too.
 */
function forgottenExports(entries = entryPoints(), within = path.join(root, 'dist')) {
  const built = program(entries.map((e) => e.types));
  const checker = built.getTypeChecker();
  const ours = (symbol) => (symbol.declarations ?? []).some((d) => path.resolve(d.getSourceFile().fileName).startsWith(within + path.sep));
  const exported = new Set();
  const queue = [];
  for (const entry of entries) {
    for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(built.getSourceFile(entry.types)))) {
      exported.add(target(checker, symbol));
      queue.push([target(checker, symbol), `${entry.name}: ${symbol.getName()}`]);
    }
  }
  const seen = new Set(queue.map(([symbol]) => symbol));
  const forgotten = [];
  for (let i = 0; i < queue.length; i++) {
    const [symbol, via] = queue[i];
    for (const declaration of symbol.declarations ?? []) {
      for (const found of referencedSymbols(checker, declaration)) {
        if (seen.has(found) || found.flags & ts.SymbolFlags.TypeParameter || !ours(found)) continue;
        seen.add(found);
        if (!exported.has(found)) forgotten.push(`${found.getName()}, reached from ${via}`);
        queue.push([found, via]);
      }
    }
  }
  return forgotten.sort();
}

/** Line-by-line differences, `-` the checked-in file's, `+` the build's. */
function diffLines(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { i++; j++; continue; }
    if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`-${a[i++]}`);
    else out.push(`+${b[j++]}`);
  }
  return out.join('\n');
}

module.exports = { apiReport, exportedNames, forgottenExports, declarationDiagnostics, diffLines, REPORT };

if (require.main === module) {
  const report = apiReport();
  const file = path.join(root, REPORT);
  if (process.argv.includes('--write')) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, report);
  } else if (process.argv.includes('--check')) {
    const checkedIn = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (checkedIn !== report) {
      process.stderr.write(`${REPORT} differs from the build:\n${diffLines(checkedIn, report)}\n`
        + 'If the change is meant, run `node scripts/dev/api-report.js --write` and commit the file.\n');
      process.exitCode = 1;
    }
  } else {
    process.stdout.write(report);
  }
}
