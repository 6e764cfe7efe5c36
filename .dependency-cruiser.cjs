/**
 * The layers of lib/, lowest first. A module may import its own layer and the layers below it,
 * never one above, and no import cycle is allowed (type-only imports count: they tie the
 * files together as much as the compiler is concerned). `npm run lint:deps` checks it;
 * test/layers.test.ts runs the same check and proves the rules fire.
 */
const layers = [
  // Typed errors, constants, attribute and EAP packet shapes, input checks, the method table, the
  // EapTransport interface, keys, users, connection data: what every layer speaks.
  { name: 'core', path: '^lib/core/' },
  // The native seam: the addon's loader, its typed contract, native object lifecycle, call gate.
  { name: 'native', path: '^lib/native/' },
  // RADIUS codec, client and server over the EapTransport interface; knows no EAP method.
  { name: 'radius', path: '^lib/radius/' },
  // EAPHost profiles: configuration and credential XML, interactive UI answers.
  { name: 'profile', path: '^lib/profile/' },
  // The session facade: EAPHost, method modules, the embedded authenticator, authenticate().
  { name: 'session', path: '^lib/session/' },
  // IEEE 802.1X on the wire: EAPOL ports, the supplicant transport, the authenticator port.
  { name: 'eapol', path: '^lib/eapol/' },
  // `eaphost audit`: which client platforms a RADIUS server fails, from real authentications.
  { name: 'audit', path: '^lib/audit/' },
  // `eaphost register`'s domain: EAPHost's Methods key, the copies' folder and its ACL, the
  // EapHost service (Windows), over the addon's platform services.
  { name: 'register', path: '^lib/register/' },
  // Accounting kept: serve --accounting's store (SQLite or PostgreSQL) and the sessions it holds.
  { name: 'accounting', path: '^lib/accounting/' },
  // serve's Prometheus service: its metrics declared over the RADIUS server's native counters.
  { name: 'metrics', path: '^lib/metrics/' },
  // The package's public entry point.
  { name: 'api', path: '^lib/index\\.ts$' },
  // The command line.
  { name: 'cli', path: '^lib/cli/' },
  // The GitHub Action (action.yml): one CLI run from a workflow step's inputs.
  { name: 'action', path: '^lib/action/' },
];

const upward = layers.flatMap((layer, i) => layers.slice(i + 1).map((above) => ({
  name: `${layer.name}-not-to-${above.name}`,
  comment: `the ${layer.name} layer imports only its own layer and the layers below it`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: above.path },
})));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle ties its files into one unit',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'a new file in lib/ belongs to a layer: add it to .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^lib/', pathNot: layers.map((layer) => layer.path) },
      to: {},
    },
    ...upward,
    {
      name: 'cli-not-to-native',
      comment: 'the command line reaches the addon through the layers that own each service (lib/register, lib/radius, …), never the raw binding',
      severity: 'error',
      from: { path: '^lib/cli/' },
      to: { path: '^lib/native/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
