// Worker entry: registers tsx in this thread, then runs the TypeScript body.
import { register } from "tsx/esm/api";
register();
await import("./teardown-worker.ts");
