// Shared tsup settings: every package is built to ESM + CJS + .d.ts from src/index.ts
// (plus any extra entries such as a bin), against the built output of its dependencies.
/** @param {{ entry?: Record<string, string> }} [options] */
export function packageConfig(options = {}) {
  return {
    entry: { index: 'src/index.ts', ...(options.entry ?? {}) },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    tsconfig: 'tsconfig.build.json',
    splitting: false,
    shims: true,
  };
}
