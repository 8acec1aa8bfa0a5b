import { defineConfig } from 'vitest/config';

// One project per package (and one for the examples). Tests import each other's sources through
// the `@hkube-ts/source` export condition, so no build is needed to run them.
const source = { ssr: { resolve: { conditions: ['@hkube-ts/source'] } } };

export default defineConfig({
  test: {
    projects: [
      ...['protocol', 'codeapi', 'wrapper-node', 'emulator'].map((name) => ({
        ...source,
        test: { name, root: `packages/${name}`, include: ['test/**/*.test.ts'], testTimeout: 30_000 },
      })),
      { ...source, test: { name: 'examples', root: 'examples', include: ['*/test/**/*.test.ts', '*/*.test.ts'], testTimeout: 60_000 } },
    ],
  },
});
