/**
 * A real S3-compatible HTTP server for tests: s3rver on 127.0.0.1 (random port) over a temporary
 * directory, in a child process (see s3rver-main.cjs). s3rver knows one account, `S3RVER` / `S3RVER`;
 * it rejects other access key ids with `InvalidAccessKeyId` but does not verify SigV4 signatures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The only credentials s3rver accepts. */
export const S3RVER_CREDENTIALS = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });

/** A running s3rver. */
export interface TestS3Server {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The directory s3rver keeps its buckets in. */
  readonly directory: string;
  close(): Promise<void>;
}

/** Starts s3rver with the given buckets already created. */
export async function startS3Server(buckets: readonly string[] = []): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'hkube-ts-s3-'));
  const main = fileURLToPath(new URL('./s3rver-main.cjs', import.meta.url));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', main, directory, ...buckets], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
      const line = /\{"port":(\d+)\}/.exec(output);
      if (line?.[1] !== undefined) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${String(code)} before listening`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** What a {@link FaultyProxy} does with a request it intercepts. */
export type Fault = 'slow-down' | 'internal-error' | 'reset' | 'hang';

/** An HTTP proxy in front of an S3 endpoint that fails chosen requests, to exercise retries. */
export interface FaultyProxy {
  readonly endpoint: string;
  /** Requests seen, as `METHOD /path`. */
  readonly requests: string[];
  /** The next `count` requests for which `match(method, url)` holds get `fault`. */
  inject(fault: Fault, count: number, match?: (method: string, url: string) => boolean): void;
  close(): Promise<void>;
}

function answerFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  if (fault === 'hang') return;
  if (fault === 'reset') {
    req.socket.destroy();
    return;
  }
  const [status, code] = fault === 'slow-down' ? [503, 'SlowDown'] : [500, 'InternalError'];
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`);
}

/** Starts a {@link FaultyProxy} forwarding to `target` (`http://host:port`). */
export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const { hostname, port } = new URL(target);
  const requests: string[] = [];
  const faults: { fault: Fault; left: number; match: (method: string, url: string) => boolean }[] = [];
  const server: Server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    requests.push(`${method} ${url}`);
    const planned = faults.find((entry) => entry.left > 0 && entry.match(method, url));
    if (planned !== undefined) {
      planned.left -= 1;
      answerFault(planned.fault, req, res);
      return;
    }
    const upstream = request({ hostname, port, method, path: url, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    inject(fault, count, match = () => true) {
      faults.push({ fault, left: count, match });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
