/**
 * The import rule, enforced by `npm test` (scripts/check-imports.sh): imports point one way,
 *
 *   entry → HTTP routes → flows → factors → account → infrastructure
 *
 * entry: main.ts, server.ts, app.ts, compose.ts, cli/. HTTP routes: http/ and every routes.ts
 * (a flow's or a factor's endpoints). Flows: flows/ (what a person does). Factors: factors/ (each
 * sign-in method behind one interface). Account: account/ (users, sessions, devices, locks, tokens,
 * the security-change table). Infrastructure knows no rules: store/ crypto/ mail/ audit/ throttle/ documents/ ledger/ metrics/
 * client/ errors/ contracts/ and config.ts, clock.ts, deps.ts. The wallet is pure and imports no
 * server code; the web app talks HTTP only and imports the server's contracts for their types.
 * Tests (*.test.ts, test/, e2e/) may import any layer.
 */
const ROUTES = '^src/(http/|factors/routes\\.ts$|(flows|factors)/[^/]+/routes\\.ts$)';
const ENTRY = '^src/((main|server|app|compose)\\.ts$|cli/)';
const FLOWS = '^src/flows/';
const FACTORS = '^src/factors/';
const ACCOUNT = '^src/account/';
const INFRA = '^src/((store|crypto|mail|audit|throttle|client|errors|contracts|documents|ledger|metrics)/|(config|clock|deps|later)\\.ts$)';
const TESTS = '(\\.test\\.ts$|^test/|^e2e/)';

const upward = (name, from, fromNot, to, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from, pathNot: [TESTS, ...(fromNot ? [fromNot] : [])] },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make the layers meaningless: break the cycle by moving the shared piece down a layer.',
      from: { pathNot: TESTS },
      to: { circular: true },
    },
    upward('infrastructure-imports-rules', INFRA, null, `${ACCOUNT}|${FACTORS}|${FLOWS}|${ROUTES}|${ENTRY}`,
      'Infrastructure (store, crypto, mail, audit, throttle, client, errors, contracts, config, clock, deps) knows no rules: it must not import account/, factors/, flows/, HTTP or entry code.'),
    upward('account-imports-upward', ACCOUNT, null, `${FACTORS}|${FLOWS}|${ROUTES}|${ENTRY}`,
      'account/ sits below the factors and flows: it must not import them, the HTTP layer or the entry.'),
    upward('factor-imports-upward', FACTORS, ROUTES, `${FLOWS}|${ROUTES}|${ENTRY}`,
      'A factor must not import a flow, the HTTP layer or the entry (its own routes.ts is HTTP layer and may).'),
    upward('flow-imports-upward', FLOWS, ROUTES, `${ROUTES}|${ENTRY}`,
      'A flow\'s rules must not import the HTTP layer (routes, guards, request objects) or the entry: routes call rules, not the other way round.'),
    upward('routes-import-entry', ROUTES, null, ENTRY, 'The HTTP layer must not import the entry.'),
    {
      name: 'wallet-is-standalone',
      severity: 'error',
      comment: 'The non-custodial wallet runs in the browser and the CLI: it imports no server code.',
      from: { path: '^src/wallet/' },
      to: { path: '^src/', pathNot: '^src/wallet/' },
    },
    {
      name: 'web-talks-http-only',
      severity: 'error',
      comment: 'The web app reaches the server over HTTP; it may import the contracts and the error-code list for their types only.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/(contracts/|errors/codes\\.ts$|wallet/)' },
    },
    {
      name: 'web-imports-contracts-as-types',
      severity: 'error',
      comment: 'Contracts are zod schemas: the browser imports their types (`import type`), never the schemas.',
      from: { path: '^web/' },
      to: { path: '^src/(contracts/|errors/codes\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|node_modules)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
