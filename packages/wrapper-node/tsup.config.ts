import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.shared.js';

// zeromq is an optional native dependency loaded lazily with `import('zeromq')`: never bundle it.
export default defineConfig({ ...packageConfig({ entry: { bin: 'src/bin.ts' } }), external: ['zeromq'] });
