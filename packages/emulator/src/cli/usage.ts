/** The `hkube-ts --help` text. */
export const USAGE = `Usage: hkube-ts run <pipeline.json> --algorithms <algorithms.json> [options]

Runs an HKube pipeline on this machine: every node's algorithm runs through the hkube-ts wrapper,
in-process for JavaScript modules, or as a process (any language's HKube wrapper) over a WebSocket.

Arguments:
  <pipeline.json>             an HKube pipeline descriptor (the body of /exec/raw, flowInput included)

Options:
  -a, --algorithms <file>     maps algorithm names to { "path": "./algo.mjs" } (a module run in-process)
                              or { "command": ["python3", "main.py"], "cwd": "…", "env": { … } } (a process);
                              paths are relative to the file; optional "maxWorkers", "connectTimeoutMs"
  -s, --stored <dir>          stored pipelines, one <name>.json each
  -f, --flow-input <file>     a JSON flowInput that replaces the pipeline's
      --storage-dir <dir>     keep storage (HKube's fs layout) and the job's records in <dir>
      --from-job <jobId>      with --node <name> and --storage-dir: run that node and its descendants of a
      --node <name>           job kept in the storage directory again; the other nodes do not run, their
                              outputs are read from the job's storage (the job's recorded pipeline and
                              flowInput run; <pipeline.json> is only read)
      --json                  print the result as JSON on stdout: {jobId, pipeline, status, data, error?, timeTook}
      --data-sources <dir>    data sources for api.getDataSource: one directory per data source id
      --debug-port <n>        debuggers of debug nodes attach at ws://127.0.0.1:<n>/hkube/debug/<algorithm>
                              (default: a free port)
      --no-peer-data          algorithm processes serve no outputs over ZeroMQ (127.0.0.1); children
                              read everything from storage
  -v, --verbose               show what algorithm processes and wrappers write
  -h, --help                  show this help

Exit codes: 0 completed, 1 failed or stopped, 2 usage or validation error.
`;
