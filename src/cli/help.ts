/** The text of `zmq-interleave --help`. */
export function helpText(names: readonly string[]): string {
  return [
    "usage: zmq-interleave [--runs N] [--seed S] [--scenario NAME[,NAME...]] [--timeline-out DIR]",
    "       zmq-interleave --replay LINE",
    "       (from a clone of the kit: npm start -- FLAGS)",
    "",
    "Explores the bug zoo: small programs with real misuse patterns of the zeromq API, run",
    "through the kit (user code on the instrumented zeromq module, process-level bugs through",
    "the model and a child process). For each one it finds the bug, shrinks it to its smallest",
    "counterexample and prints the timeline with its replay line. Exit status 0 when every bug",
    "was found, 1 when one was not, 2 for a command line it cannot run.",
    "",
    "  --runs N             runs per scenario (default: 100 for user code, 2000 for model scenarios)",
    "  --seed S             fast-check seed (default: random, printed so a run can be repeated)",
    "  --scenario NAME      explore only these scenarios (repeat the flag or give a comma list)",
    "  --timeline-out DIR   also write each counterexample's timeline as DIR/NAME.html and DIR/NAME.svg",
    "  --replay LINE        replay one line (replay: ... interleaving=\"zi1 ...\", or zi1 ...): the model's",
    "                       timeline, then a real run in a child process; exit 0 when it fails as before",
    "  --help               this text",
    "",
    `scenarios: ${names.join(", ")}`,
    "",
  ].join("\n");
}
