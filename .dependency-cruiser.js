/**
 * The hub's layering, checked by `npm test` (npm run check:deps). From the ground up:
 *   common/ -> config/ -> connector-kit/ -> seats/ (pure rules) -> store/, integrations/ -> accounts/ -> sync/ -> unified/, proxy/, webhooks/
 *   connectors/<id>/ stand on the kit (and common/) alone; hub.module.ts and app.module.ts compose it all.
 * A rule names what a folder may NOT reach; the message says what to do instead.
 */
const FEATURES = '^src/(accounts|sync|unified|proxy|auth|health|integrations)/';
const ROOTS = '^src/(hub|app)\\.module\\.ts$|^src/(main|bootstrap)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which module depends on which; break the cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'connectors-use-the-kit',
      severity: 'error',
      comment: 'A connector imports only src/connector-kit (its whole surface is connector-kit/index.ts) and src/common.',
      from: { path: '^src/connectors/' },
      to: { path: '^src/', pathNot: ['^src/connector-kit/', '^src/common/', '^src/connectors/'] },
    },
    {
      name: 'connectors-through-the-kit-index',
      severity: 'error',
      comment: 'Import the kit from connector-kit/index.ts, not from its inner files, so the index stays the whole surface.',
      from: { path: '^src/connectors/' },
      to: { path: '^src/connector-kit/(?!index\\.ts$)' },
    },
    {
      name: 'no-connector-imports-another',
      severity: 'error',
      comment: 'Connectors are independent; share code through the kit instead.',
      from: { path: '^src/connectors/([^/]+)/' },
      to: { path: '^src/connectors/', pathNot: '^src/connectors/$1/' },
    },
    {
      name: 'kit-stands-alone',
      severity: 'error',
      comment: 'The connector kit may use common/ and config/ only: no hub feature, no store, no connector.',
      from: { path: '^src/connector-kit/' },
      to: { path: '^src/', pathNot: ['^src/connector-kit/', '^src/common/', '^src/config/'] },
    },
    {
      name: 'store-imports-no-feature',
      severity: 'error',
      comment: 'The store knows rows, not features: it may use common/, config/ and the kit\'s record types.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/store/', '^src/common/', '^src/config/', '^src/connector-kit/'] },
    },
    {
      name: 'seat-rules-are-pure',
      severity: 'error',
      comment: 'src/seats holds the seat rules and derivation: pure, over the kit\'s unified types; no store, no feature.',
      from: { path: '^src/seats/' },
      to: { path: '^src/', pathNot: ['^src/seats/', '^src/common/', '^src/connector-kit/'] },
    },
    {
      name: 'common-is-the-ground-floor',
      severity: 'error',
      comment: 'common/ imports nothing else of the hub.',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'config-stands-on-common',
      severity: 'error',
      comment: 'config/ may use common/ only.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: ['^src/config/', '^src/common/'] },
    },
    {
      name: 'integrations-below-accounts',
      severity: 'error',
      comment: 'The registry of connectors sits below accounts: it may use the kit, common/ and config/ only.',
      from: { path: '^src/integrations/' },
      to: { path: '^src/', pathNot: ['^src/integrations/', '^src/connector-kit/', '^src/common/', '^src/config/'] },
    },
    {
      name: 'auth-and-health-stand-alone',
      severity: 'error',
      comment: 'Authentication and health checks use the store, common/ and config/, never a feature (readiness may ask the sync queue whether Redis answers).',
      from: { path: '^src/(auth|health)/' },
      to: { path: '^src/(accounts|sync|unified|proxy|integrations|seats|connectors)/', pathNot: '^src/sync/sync-queue\\.ts$' },
    },
    {
      name: 'proxy-and-reads-are-siblings',
      severity: 'error',
      comment: 'The proxy and the unified API both stand on accounts; neither imports the other.',
      from: { path: '^src/(proxy|unified)/' },
      to: { path: '^src/(proxy|unified)/', pathNot: '^src/$1/' },
    },
    {
      name: 'accounts-below-sync-and-reads',
      severity: 'error',
      comment: 'Accounts sit below sync, the unified API and the proxy; tell them through an event (accounts/account-events.ts).',
      from: { path: '^src/accounts/' },
      to: { path: '^src/(sync|unified|proxy)/' },
    },
    {
      name: 'sync-below-reads',
      severity: 'error',
      comment: 'Sync sits below the unified API and the proxy.',
      from: { path: '^src/sync/' },
      to: { path: '^src/(unified|proxy)/' },
    },
    {
      name: 'webhooks-on-top',
      severity: 'error',
      comment: 'Webhooks listen to the hub\'s events; the modules below emit them (account-events.ts, sync-events.ts) instead of calling webhooks.',
      from: { path: '^src/', pathNot: ['^src/webhooks/', ROOTS] },
      to: { path: '^src/webhooks/' },
    },
    {
      name: 'metrics-on-top',
      comment: 'Metrics listen to the hub (events, the kit\'s UpstreamTelemetry, the queue\'s depth); nothing below imports them: emit an event instead.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/metrics/', ROOTS] },
      to: { path: '^src/metrics/' },
    },
    {
      name: 'features-do-not-reach-connectors',
      severity: 'error',
      comment: 'The hub finds connectors through the registry (@Connector()), never by importing one.',
      from: { path: [FEATURES, '^src/(store|common|config|connector-kit)/'] },
      to: { path: '^src/connectors/' },
    },
    {
      name: 'nothing-imports-the-roots',
      severity: 'error',
      comment: 'hub.module.ts, app.module.ts, main.ts and bootstrap.ts compose the hub; only tests and scripts import them.',
      from: { path: '^src/', pathNot: ROOTS },
      to: { path: ROOTS },
    },
    {
      name: 'src-does-not-import-tests-or-simulators',
      severity: 'error',
      comment: 'Shipped code never depends on test/, sandbox/, bench/ or scripts/ (a spec may use a simulator).',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|sandbox|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
