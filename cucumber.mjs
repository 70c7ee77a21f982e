// Cucumber profiles, one per target. Run one target with
//   node --import tsx node_modules/@cucumber/cucumber/bin/cucumber-js -p memory
// or every available target with `npm run test:features` (features/run.ts).

const common = {
  paths: ['features/**/*.feature'],
  // Only the top of support/: targets/ are loaded on demand, one per run (targets/index.ts).
  import: ['features/support/*.ts', 'features/steps/*.ts'],
  strict: true,
  format: ['progress'],
};

function profile(target, extra = {}) {
  return {
    ...common,
    worldParameters: { target },
    format: [...common.format, `html:reports/features-${target}.html`],
    ...extra,
  };
}

export default function profiles() {
  return {
    default: profile('memory'),
    memory: profile('memory'),
    'tigerbeetle-sim': profile('tigerbeetle-sim'),
    http: profile('http'),
    // Scenarios that need exact instants or long windows cannot run on a real cluster's clock.
    'tigerbeetle-real': profile('tigerbeetle-real', { tags: 'not @simulated-time' }),
  };
}
