// The bench's command line: how many actions to push through each path, how many actions each stream message
// carries, and whether to run the Kafka phases.
import { MAX_ACTIONS_PER_MESSAGE } from "../server/stream/messages";

export class BenchUsageError extends Error {
  override name = "BenchUsageError";
}

export interface BenchArgs {
  /** Actions per phase; every phase uses the same pre-generated actions. */
  actions: number;
  /** 1: one JSON action per message (the v1 single shape); more: batches of one series' actions. */
  actionsPerMessage: number;
  kafka: boolean;
  /** Upper bound for one phase; a phase that takes longer fails the run with a message naming it. */
  phaseTimeoutMs: number;
}

export const DEFAULT_ACTIONS = 500_000;
const DEFAULT_PHASE_TIMEOUT_S = 180;

export const USAGE = `usage: npm run bench -- [--actions N] [--per-message K] [--no-kafka] [--phase-timeout SECONDS]
  --actions N          actions per phase (default ${DEFAULT_ACTIONS.toLocaleString("en-US")})
  --per-message K      actions per stream message, 1-${MAX_ACTIONS_PER_MESSAGE} (default 1: one action per message)
  --no-kafka           skip the Kafka phases (no broker is started)
  --phase-timeout S    fail a phase that runs longer than S seconds (default ${DEFAULT_PHASE_TIMEOUT_S})`;

function positiveInteger(flag: string, value: string | undefined): number {
  const parsed = Number(value?.replaceAll("_", ""));
  if (value === undefined || !Number.isInteger(parsed) || parsed <= 0) {
    throw new BenchUsageError(`${flag} expects a positive whole number, got "${value ?? ""}"\n${USAGE}`);
  }
  return parsed;
}

export function parseBenchArgs(argv: string[]): BenchArgs | "help" {
  const args: BenchArgs = {
    actions: DEFAULT_ACTIONS,
    actionsPerMessage: 1,
    kafka: true,
    phaseTimeoutMs: DEFAULT_PHASE_TIMEOUT_S * 1_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--actions":
        args.actions = positiveInteger(flag, value());
        break;
      case "--per-message":
        args.actionsPerMessage = positiveInteger(flag, value());
        if (args.actionsPerMessage > MAX_ACTIONS_PER_MESSAGE) {
          throw new BenchUsageError(`--per-message is at most ${MAX_ACTIONS_PER_MESSAGE}\n${USAGE}`);
        }
        break;
      case "--no-kafka":
        args.kafka = false;
        break;
      case "--phase-timeout":
        args.phaseTimeoutMs = positiveInteger(flag, value()) * 1_000;
        break;
      case "--help":
      case "-h":
        return "help";
      default:
        throw new BenchUsageError(`unknown option "${argv[i]}"\n${USAGE}`);
    }
  }
  return args;
}
