// Every environment variable Peaklight reads, parsed once with zod. A bad value stops the process with a
// message naming the variable and what it expects. .env.example and the README list the same variables.
import { z } from "zod";

const integer = (expected: string) =>
  z.coerce.number({ error: `expected ${expected}` }).int(`expected ${expected}`);
const port = integer("a port number 1-65535")
  .min(1, "expected a port number 1-65535")
  .max(65_535, "expected a port number 1-65535");
const positiveInt = integer("a positive integer").positive("expected a positive integer");
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
    error: "expected true or false",
  })
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

const envSchema = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "expected a postgresql:// URL" })
    .optional()
    .describe("PostgreSQL to use; unset starts an embedded one under PEAKLIGHT_DATA_DIR"),
  PEAKLIGHT_DATA_DIR: z.string().min(1).default(".data"),
  EMBEDDED_PG_PORT: port.default(54329),
  PORT: port.default(3000),
  PEAKLIGHT_WEB_MODE: z.enum(["dev", "prod"]).default("dev"),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, "expected host:port[,host:port...]")
    .optional(),
  KAFKA_PORT: port.default(9092).describe("port of the local broker `npm run kafka:start` runs"),
  KAFKA_DATA_DIR: z.string().min(1).default(".data/kafka").describe("data of the local broker"),
  KAFKA_CLIENT_ID: z.string().min(1).default("peaklight"),
  KAFKA_GROUP_ID: z.string().min(1).default("peaklight-aggregator"),
  KAFKA_TOPIC_USER_ACTIONS: z.string().min(1).default("user-actions"),
  KAFKA_TOPIC_DEAD_LETTER: z.string().min(1).default("user-actions.dead-letter"),
  KAFKA_TOPIC_PARTITIONS: positiveInt.default(6),
  KAFKA_SESSION_TIMEOUT_MS: integer("milliseconds (6000-300000)")
    .min(6_000, "expected milliseconds (6000-300000)")
    .max(300_000, "expected milliseconds (6000-300000)")
    .default(30_000),
  STREAM_ACTIONS_PER_MESSAGE: integer("1-10000 actions per message")
    .min(1, "expected 1-10000 actions per message")
    .max(10_000, "expected 1-10000 actions per message")
    .default(100),
  BUCKET_SECONDS: positiveInt.default(10),
  ALLOWED_LATENESS_SECONDS: integer("a whole number of seconds ≥ 0")
    .min(0, "expected a whole number of seconds ≥ 0")
    .default(30),
  RAW_BUCKET_RETENTION_DAYS: positiveInt
    .default(30)
    .describe("days of raw 10 s buckets kept, counted back from the newest day with data; rollups stay"),
  PEAK_DETECTOR: z
    .enum(["uplift", "forest"])
    .default("uplift")
    .describe("peak detector of the live path: rule-based uplift, or the learned half-space forest"),
  PEAK_GROUPING_SECONDS: positiveInt
    .default(60)
    .describe("peaks of one sport in several countries within this many seconds are one candidate moment"),
  PEAK_EXPLAIN_SECONDS: integer("a whole number of seconds ≥ 0")
    .min(0, "expected a whole number of seconds ≥ 0")
    .default(120)
    .describe(
      "a peak opens a candidate moment only when its sport's play-by-play has an event for its country in this many seconds before it (0: every peak may)",
    ),
  DEMO_REPLAY: flag.default(true),
  DEMO_SEED: integer("an integer seed").default(42),
  DEMO_ACTIONS_PER_SECOND: positiveInt.default(1_500),
  DEMO_SPEED: z.coerce
    .number({ error: "expected a positive number (games seconds per real second)" })
    .positive("expected a positive number (games seconds per real second)")
    .default(1)
    .describe("the demo games runs this many times faster than real time"),
  DEMO_BACKFILL_MINUTES: integer("whole minutes ≥ 0")
    .min(0, "expected whole minutes ≥ 0")
    .default(15)
    .describe("minutes of demo traffic played at once on start, so charts and the detector have history"),
  PEAKLIGHT_PROCESS: z.string().optional().describe("label in log lines; set by worker/start.ts"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LLM_PROVIDER: z
    .enum(["offline", "bedrock", "openai"])
    .default("offline")
    .describe(
      "who writes agent output: offline composer (marked as such), Amazon Bedrock, or an OpenAI-compatible server",
    ),
  AWS_REGION: z.string().min(1).default("us-east-1").describe("Bedrock region"),
  BEDROCK_ENDPOINT: z
    .url({ protocol: /^https?$/, error: "expected an http(s):// URL" })
    .optional()
    .describe("another Bedrock Runtime endpoint than the region's (VPC endpoint, local fake)"),
  BEDROCK_MODEL_SCORER: z.string().min(1).default("amazon.nova-lite-v1:0"),
  BEDROCK_MODEL_SUMMARY: z.string().min(1).default("amazon.nova-pro-v1:0"),
  BEDROCK_MODEL_DECIDER: z.string().min(1).default("amazon.nova-lite-v1:0"),
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/, error: "expected an http(s):// URL such as http://127.0.0.1:11434/v1" })
    .optional()
    .describe(
      "OpenAI-compatible API up to the version (Ollama, vLLM, llama.cpp); required with LLM_PROVIDER=openai",
    ),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL_SCORER: z.string().min(1).default("qwen2.5:7b"),
  OPENAI_MODEL_SUMMARY: z.string().min(1).default("qwen2.5:14b"),
  OPENAI_MODEL_DECIDER: z.string().min(1).default("qwen2.5:7b"),
  LLM_TIMEOUT_MS: integer("milliseconds (1000-600000)")
    .min(1_000, "expected milliseconds (1000-600000)")
    .max(600_000, "expected milliseconds (1000-600000)")
    .default(30_000),
  LLM_MAX_RETRIES: integer("0-10 retries")
    .min(0, "expected 0-10 retries")
    .max(10, "expected 0-10 retries")
    .default(3)
    .describe(
      "retries of a model call on throttling or a server error, with exponential back-off and jitter",
    ),
  LLM_RETRY_BASE_MS: positiveInt
    .default(500)
    .describe("first back-off ceiling; doubles per retry, capped at 20 s"),
  AGENT_MAX_TURNS: integer("2-20 turns")
    .min(2, "expected 2-20 turns")
    .max(20, "expected 2-20 turns")
    .default(6)
    .describe("model calls one agent run may make (tool rounds plus the answer)"),
  CHANNELS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("JSON file of the channels moments go to (rules and targets); unset: the built-in channels"),
  SLACK_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: "expected a Slack incoming-webhook URL (https://hooks.slack.com/…)" })
    .optional()
    .describe("incoming webhook of the built-in newsroom-slack channel"),
  DELIVERY_TIMEOUT_MS: integer("milliseconds (100-120000)")
    .min(100, "expected milliseconds (100-120000)")
    .max(120_000, "expected milliseconds (100-120000)")
    .default(10_000)
    .describe("how long a channel's endpoint has to answer a delivery before the attempt counts as failed"),
  JOB_POLL_MS: positiveInt
    .default(5_000)
    .describe("fallback poll of the agent queue; new jobs wake the runner through LISTEN/NOTIFY at once"),
  JOB_LEASE_MS: integer("milliseconds (500-3600000)")
    .min(500, "expected milliseconds (500-3600000)")
    .max(3_600_000, "expected milliseconds (500-3600000)")
    .optional()
    .describe(
      "claim lease of every job kind (unset: each kind's own, 60-120 s); a dead worker's jobs return after it",
    ),
  SSE_MAX_STREAM_SECONDS: positiveInt
    .default(300)
    .describe(
      "a live stream closes after this long so clients reconnect cleanly, resuming from Last-Event-ID",
    ),
});

export type Config = z.infer<typeof envSchema>;

/** Every variable this module reads (the README and .env.example list the same). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment (process.env by default); throws ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty string means "unset" for every variable, as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const given = present[name];
      return `${name}: ${issue.message}${given === undefined ? "" : ` (got "${given}")`}`;
    }),
  );
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseConfig();
  return cached;
}

/** The stream transport the configuration selects: Kafka when brokers are given, else in-process. */
export function streamTransportKind(config: Config): "kafka" | "inproc" {
  return config.KAFKA_BROKERS ? "kafka" : "inproc";
}

/** For process entry points: the configuration, or the list of problems on stderr and exit code 2. */
export function getConfigOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
