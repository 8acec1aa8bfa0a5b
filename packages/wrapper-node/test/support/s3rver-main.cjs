// Runs s3rver in its own process (started by s3-server.ts with --openssl-legacy-provider: s3rver's
// ListObjectsV2 continuation tokens use DES, which OpenSSL 3 only offers through the legacy provider).
// argv: <directory> <bucket…>. Prints `{"port":N}` once listening; exits on SIGTERM or when stdin ends.
'use strict';
const S3rver = require('s3rver');

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
server.run().then(
  ({ port }) => process.stdout.write(`${JSON.stringify({ port })}\n`),
  (error) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
