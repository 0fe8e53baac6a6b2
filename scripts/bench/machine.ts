import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  node: string;
  load: string;
}

export function readMachine(): Machine {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  return {
    date: new Date().toISOString(),
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    node: process.version,
    load: currentLoad(),
  };
}

export function currentLoad(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}
