#!/usr/bin/env node
// `hkube-ts`: run HKube pipelines locally. See `hkube-ts --help`.
import { runCli } from './cli/main.js';

const stdoutWrite = process.stdout.write.bind(process.stdout);

void runCli(process.argv.slice(2), {
  stdout: (text) => void stdoutWrite(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  divertStdout: () => {
    process.stdout.write = process.stderr.write.bind(process.stderr);
    return () => {
      process.stdout.write = stdoutWrite;
    };
  },
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => void process.removeListener('SIGINT', handler);
  },
}).then((code) => {
  // Everything is closed by now; exit explicitly so that nothing an algorithm left behind keeps us alive.
  process.stdout.write('', () => process.exit(code));
});
