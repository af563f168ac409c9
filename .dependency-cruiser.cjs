// Layering rules for src/, checked by `npm run lint:layers` (part of `npm test`).
//
// The layers, from the bottom up:
//   shared                       types and tiny rules every layer may use
//   metrics                      the Prometheus registry: imports only shared, so any layer can count
//   alerts                       posts to the operators' chat; knows nothing of the bot
//   content, telegram, store     the briefings, the Bot API edge, persistence
//   render, search, digest       pure renderers, card search, digest scheduling and delivery
//   bot                          bot plumbing: context, deps, feature shape, router, screens
//   features                     one feature per file; src/features/subscriptions/ is one feature
//   create-bot, app, main, ...   composition: installs the features, opens the backend and starts the process
//
// Type-only imports count: a type import still ties a lower layer to a higher one.

/** Folders below `bot` that form the core of the bot. */
const CORE = "^src/(content|render|search|store|telegram|shared|digest|metrics|alerts)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A module never reaches itself through its imports: a cycle makes load order matter and merges the layers it spans.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-circular-folders",
      severity: "error",
      comment:
        "No folder reaches itself through the imports of its modules: each folder is one layer, and layers depend one way. " +
        "A folder here counts with its subfolders, so src itself has no folder dependencies inside src; the modules directly " +
        "in src are kept out of folder cycles by root-leaves-stay-low and core-not-to-bot.",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "root-leaves-stay-low",
      severity: "error",
      comment:
        "i18n, logger and config sit directly in src but below every layer that uses them: they import nothing from src " +
        "except shared, so no layer reaches itself through them.",
      from: { path: "^src/(i18n|logger|config)\\.ts$" },
      to: { path: "^src/", pathNot: "^src/shared/" },
    },
    {
      name: "core-not-to-bot",
      severity: "error",
      comment:
        "content, render, search, store, telegram, shared, digest, metrics and alerts never import the bot plumbing, the features or the " +
        "composition modules: they are the core that the bot is built on and are usable (and testable) without a bot.",
      from: { path: CORE },
      to: { path: "^src/(bot|features)/|^src/(create-bot|main)\\.ts$" },
    },
    {
      name: "shared-imports-nothing",
      severity: "error",
      comment: "shared sits below every layer: it imports nothing from src outside itself, so every layer can use it.",
      from: { path: "^src/shared/" },
      to: { path: "^src/", pathNot: "^src/shared/" },
    },
    {
      name: "metrics-imports-only-shared",
      severity: "error",
      comment:
        "metrics is the one registry every layer counts into (the Bot API edge, digests, the bot): it imports nothing from " +
        "src but shared, and what it reads at scrape time (the store, the queue) is handed to it, so it never sits in a cycle.",
      from: { path: "^src/metrics/" },
      to: { path: "^src/", pathNot: "^src/shared/" },
    },
    {
      name: "alerts-below-store-and-digest",
      severity: "error",
      comment: "alerts only word and post a message: the store, digests and the bot tell it what happened, never the other way.",
      from: { path: "^src/alerts/" },
      to: { path: "^src/(store|digest|telegram|render|search|content)/" },
    },
    {
      name: "content-stays-content",
      severity: "error",
      comment: "content is the briefing schema and data: it does not know how briefings are rendered, searched, stored or sent.",
      from: { path: "^src/content/" },
      to: { path: "^src/(render|search|store|digest)/" },
    },
    {
      name: "store-below-digest-render-search",
      severity: "error",
      comment: "store persists chats and subscriptions: it does not depend on digest scheduling, rendering or search.",
      from: { path: "^src/store/" },
      to: { path: "^src/(digest|render|search)/" },
    },
    {
      name: "render-below-digest-search",
      severity: "error",
      comment: "render is pure text building: digest and search use it, never the other way round.",
      from: { path: "^src/render/" },
      to: { path: "^src/(digest|search)/" },
    },
    {
      name: "app-only-for-main",
      severity: "error",
      comment:
        "src/app opens the backend and starts the process's parts (bot, digests, operators, health, servers): in src only " +
        "main.ts uses it, so every layer below stays usable without knowing which backend runs or how the process starts.",
      from: { path: "^src/", pathNot: "^src/(app/|main\\.ts$)" },
      to: { path: "^src/app/" },
    },
    {
      name: "bot-not-to-features",
      severity: "error",
      comment: "bot is the plumbing the features plug into: it never imports a feature or the module that installs them.",
      from: { path: "^src/bot/" },
      to: { path: "^src/features/|^src/create-bot\\.ts$" },
    },
    {
      name: "features-independent",
      severity: "error",
      comment:
        "A feature (a file directly in src/features/, or the folder src/features/subscriptions/) never imports another " +
        "feature: features share code through bot, render and digest, so each one can be removed on its own.",
      from: { path: "^src/features/([^/]+)" },
      to: { path: "^src/features/", pathNot: "^src/features/$1(/|$)" },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment: "A module in src that nothing imports and that imports nothing is dead code or a forgotten entry point.",
      from: { orphan: true, path: "^src/", pathNot: "\\.d\\.ts$" },
      to: {},
    },
    {
      name: "src-not-to-test-or-bench",
      severity: "error",
      comment: "Production code never imports test or bench code: those are not built into dist/ and pull in test-only packages.",
      from: { path: "^src/" },
      to: { path: "^(test|bench)/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves to a file or an installed package.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "not-to-dev-dep",
      severity: "error",
      comment: "src runs in production, where devDependencies are not installed; type-only imports are erased and allowed.",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    // bench and test are cruised too, so cycles through them are found; the rules above say which apply to src only.
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    // Counts `import type` too: a type-only import still couples the layers.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
