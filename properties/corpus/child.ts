/**
 * Runs one corpus program in this process and prints its result as one JSON line: the way to run
 * a program that can abort or end its process (`node --import tsx properties/corpus/child.ts
 * <name>`), so that the process that spawned it survives.
 */
import { corpusProgram } from "./index.js";

const name = process.argv[2];
if (name === undefined) throw new Error("usage: node --import tsx properties/corpus/child.ts <program name>");
const result = await corpusProgram(name).run();
process.stdout.write(`${JSON.stringify(result)}\n`);
