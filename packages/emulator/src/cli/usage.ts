/** The `hkube-ts --help` text. */
export const USAGE = `Usage: hkube-ts run <pipeline.json> --algorithms <algorithms.json> [options]

Runs an HKube pipeline on this machine: every node's algorithm runs through the hkube-ts wrapper,
in-process for JavaScript modules, or as a process (any language's HKube wrapper) over a WebSocket.

Arguments:
  <pipeline.json>             an HKube pipeline descriptor (the body of /exec/raw, flowInput included)

Options:
  -a, --algorithms <file>     maps algorithm names to { "path": "./algo.mjs" } (a module run in-process)
                              or { "command": ["python3", "main.py"], "cwd": "…", "env": { … } } (a process);
                              paths are relative to the file; optional "maxWorkers", "connectTimeoutMs",
                              "stateType" (the default of stream nodes running it)
  -s, --stored <dir>          stored pipelines, one <name>.json each
  -f, --flow-input <file>     a JSON flowInput that replaces the pipeline's
      --storage-dir <dir>     keep storage (HKube's fs layout) and the job's records in <dir>
      --storage s3            keep them on S3 (HKube's S3 layout, buckets created as needed), with
      --s3-endpoint <url>     e.g. http://127.0.0.1:9000; credentials from AWS_ACCESS_KEY_ID and
                              AWS_SECRET_ACCESS_KEY, region from AWS_REGION (default us-east-1);
                              algorithm processes get DEFAULT_STORAGE=s3 and the same variables
      --from-job <jobId>      with --node <name> and --storage-dir or --storage s3: run that node and its
      --node <name>           descendants of a job kept in that storage again; the other nodes do not run, their
                              outputs are read from the job's storage (the job's recorded pipeline and
                              flowInput run; <pipeline.json> is only read)
      --json                  print the result as JSON on stdout: {jobId, pipeline, status, data, error?, timeTook}
      --data-sources <dir>    data sources for api.getDataSource: one directory per data source id
      --debug-port <n>        debuggers of debug nodes attach at ws://127.0.0.1:<n>/hkube/debug/<algorithm>
                              (default: a free port)
  -d, --duration <seconds>    stream pipelines: stop the job after <seconds> (exit code 0); without it a
                              stream job runs until a stateful node returns, or Ctrl-C
      --no-peer-data          algorithm processes serve no outputs over ZeroMQ (127.0.0.1); children
                              read everything from storage
  -v, --verbose               show what algorithm processes and wrappers write
  -h, --help                  show this help

A stream pipeline shows, per flow edge, the messages sent and answered, the rate (msg/s), the queue
and the replicas of the target; --json adds the final edge statistics as "edges".

Exit codes: 0 completed (or a stream stopped by --duration), 1 failed or stopped, 2 usage or validation error.
`;
