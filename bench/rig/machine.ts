/**
 * The machine a run happened on, recorded with every result: numbers from a shared 2-core
 * box and from a quiet workstation are not comparable, and the README says which it was.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { version as libzmqVersion } from "zeromq";

/** Where and with what a benchmark ran. */
export interface Machine {
  /** `nproc`: CPUs this process may use */
  readonly cpus: number;
  /** `model name` from /proc/cpuinfo (or the platform's equivalent) */
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** the npm package `zeromq` */
  readonly zeromq: string;
  readonly libzmq: string;
  readonly tinybench: string;
  /** 1-minute load average when the run started */
  readonly loadAtStart: number;
}

/** Describes this machine now. */
export function describeMachine(): Machine {
  const packageVersion = (name: string): string => {
    try {
      const json = readFileSync(fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url)), "utf8");
      return (JSON.parse(json) as { version?: string }).version ?? "unknown";
    } catch {
      return "unknown";
    }
  };
  return {
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    zeromq: packageVersion("zeromq"),
    libzmq: libzmqVersion,
    tinybench: packageVersion("tinybench"),
    loadAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One line for tables: "nproc 2, Intel(R) Xeon(R) Processor, ..., Node v20.20.2, zeromq 6.8.0 (libzmq 4.3.5), ...". */
export function machineLine(m: Machine): string {
  return `nproc ${m.cpus}, ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, zeromq ${m.zeromq} (libzmq ${m.libzmq}), tinybench ${m.tinybench}`;
}

function cpuModel(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const line = info.split("\n").find((l) => l.startsWith("model name"));
    if (line !== undefined) return line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // not Linux: fall through
  }
  return "unknown CPU";
}
