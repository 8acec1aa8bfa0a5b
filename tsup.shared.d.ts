import type { Options } from 'tsup';
export declare function packageConfig(options?: { entry?: Record<string, string> }): Options;
