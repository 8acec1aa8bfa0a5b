// Runs in-process as usual: only the debug node waits for a debugger.
export function start({ input: [total] }) {
  return { total };
}
