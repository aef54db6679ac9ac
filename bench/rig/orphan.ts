/**
 * For child scripts: end this process if its parent goes away (a parent killed with
 * SIGKILL cannot clean up its children). Uses an unref'd timer, so it never keeps the
 * process alive and never changes when the process can exit.
 */

/** Checks every `everyMs` whether the parent is still the one that started us; if not, exits. */
export function exitWhenOrphaned(everyMs = 500): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
  }, everyMs).unref();
}
