import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";

/** The four shapes every conformance property runs in: tasks only or with workers, inproc or tcp. */
export interface Shape {
  readonly name: string;
  readonly constraints: InterleavingConstraints;
}

/** Tasks on the main thread, or tasks on the main thread and up to two workers; inproc or tcp. */
export const SHAPES: readonly Shape[] = [
  { name: "tasks, inproc", constraints: { threads: 1, tasksPerThread: 3, transport: "inproc" } },
  { name: "tasks, tcp", constraints: { threads: 1, tasksPerThread: 3, transport: "tcp" } },
  { name: "workers, inproc", constraints: { threads: 3, minThreads: 2, tasksPerThread: 2, transport: "inproc" } },
  { name: "workers, tcp", constraints: { threads: 3, minThreads: 2, tasksPerThread: 2, transport: "tcp" } },
];

/** Runs per property and shape (fixed seeds come from the CI's ZI_SEED). */
export const RUNS = 200;
