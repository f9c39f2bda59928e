// What the bench runs on, and where the CPU time goes: this process, the Postgres process tree, the Kafka JVM
// and the whole machine, read from /proc (Linux). Elsewhere the per-process figures are simply absent.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemoryGiB: number;
  node: string;
  platform: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown CPU",
    totalMemoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/** Cumulative CPU seconds at one instant; null where /proc cannot tell. */
export interface CpuSnapshot {
  bench: number;
  postgres: number | null;
  kafka: number | null;
  machineBusy: number | null;
  machineTotal: number | null;
}

export interface WatchedPids {
  /** The postmaster; its backends are its children. */
  postgres?: number;
  kafka?: number;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  /** Own CPU plus that of children it has reaped, in clock ticks. */
  ticks: number;
}

function readProcStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; fields are counted from the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const field = (n: number) => Number(fields[n - 3]);
    return { pid, ppid: field(4), ticks: field(14) + field(15) + field(16) + field(17) };
  } catch {
    return null;
  }
}

function processTreeSeconds(root: number | undefined, includeChildren: boolean): number | null {
  if (root === undefined) return null;
  const own = readProcStat(root);
  if (!own) return null;
  let ticks = own.ticks;
  if (includeChildren) {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readProcStat(Number(entry));
      if (stat && stat.ppid === root) ticks += stat.ticks;
    }
  }
  return ticks / clockTicks;
}

function machineSeconds(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy: busy / clockTicks, total: (busy + idle! + iowait!) / clockTicks };
  } catch {
    return null;
  }
}

export function cpuSnapshot(pids: WatchedPids): CpuSnapshot {
  const usage = process.cpuUsage();
  const machine = machineSeconds();
  return {
    bench: (usage.user + usage.system) / 1e6,
    postgres: processTreeSeconds(pids.postgres, true),
    kafka: processTreeSeconds(pids.kafka, false),
    machineBusy: machine?.busy ?? null,
    machineTotal: machine?.total ?? null,
  };
}

export interface CpuSpent {
  benchSeconds: number;
  postgresSeconds: number | null;
  kafkaSeconds: number | null;
  /** Share of all cores busy during the phase (any process), 0-100. */
  machineBusyPct: number | null;
}

export function cpuSpent(from: CpuSnapshot, to: CpuSnapshot): CpuSpent {
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  const busy = diff(from.machineBusy, to.machineBusy);
  const total = diff(from.machineTotal, to.machineTotal);
  return {
    benchSeconds: to.bench - from.bench,
    postgresSeconds: diff(from.postgres, to.postgres),
    kafkaSeconds: diff(from.kafka, to.kafka),
    machineBusyPct: busy !== null && total ? (100 * busy) / total : null,
  };
}
