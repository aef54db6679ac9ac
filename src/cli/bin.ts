#!/usr/bin/env node
/** The `zmq-interleave` command: `npx zmq-interleave --help`. */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
