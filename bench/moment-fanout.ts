// Live moments fan-out: N real HTTP server-sent-event clients on /api/live/moments (the route handler served by
// a small node:http wrapper, as `next start` would serve it), then moments stored in Postgres one after
// another; each client times every moment's arrival. Prints "moment stored → received" p50/p95/p99 over every
// (moment, client) pair, whether every client got every moment, and the RSS of the server and of the clients.
// The clients run in a child process so their parsing does not share the server's event loop.
//
//   npx tsx bench/moment-fanout.ts [--clients 500] [--moments 100] [--per-second 5]
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./machine";
import { percentiles } from "./measure";
import { startBenchServices } from "./services";

interface Options {
  clients: number;
  moments: number;
  perSecond: number;
}

type ToParent =
  | { type: "connected"; ready: number; rssMb: number }
  | { type: "results"; arrivals: Record<string, number[]>; rssMb: number; peakRssMb: number };
type ToChild = { type: "done" };

const now = () => performance.timeOrigin + performance.now();
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

function parseOptions(argv: string[]): Options {
  const options: Options = { clients: 500, moments: 100, perSecond: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${argv[i]} expects a positive number`);
    if (argv[i] === "--clients") options.clients = value;
    else if (argv[i] === "--moments") options.moments = value;
    else if (argv[i] === "--per-second") options.perSecond = value;
    else throw new Error(`unknown option ${argv[i]}; usage: [--clients N] [--moments N] [--per-second N]`);
  }
  return options;
}

// ---- the clients (child process) ------------------------------------------------------------------------

function runClients(port: number, count: number): void {
  const arrivals = new Map<string, number[]>();
  const sockets: http.ClientRequest[] = [];
  let ready = 0;
  let peakRss = rssMb();
  const sample = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 250);
  for (let i = 0; i < count; i += 1) {
    const request = http.get(
      { host: "127.0.0.1", port, path: "/api/live/moments", agent: false },
      (response) => {
        response.setEncoding("utf8");
        let buffer = "";
        response.on("data", (chunk: string) => {
          const at = now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.startsWith("event: ready")) {
              ready += 1;
              if (ready === count)
                process.send!({ type: "connected", ready, rssMb: rssMb() } satisfies ToParent);
            } else if (frame.startsWith("event: moment")) {
              const id = /\nid: (\d+)\n/.exec(frame)?.[1];
              if (!id) continue;
              const list = arrivals.get(id) ?? [];
              list.push(at);
              arrivals.set(id, list);
            }
          }
        });
      },
    );
    request.on("error", (error) => {
      console.error(`client ${i}: ${error.message}`);
      process.exit(1);
    });
    sockets.push(request);
  }
  process.on("message", (message: ToChild) => {
    if (message.type !== "done") return;
    // Stragglers: whatever is still in flight arrives within a second.
    setTimeout(() => {
      clearInterval(sample);
      process.send!(
        {
          type: "results",
          arrivals: Object.fromEntries(arrivals),
          rssMb: rssMb(),
          peakRssMb: peakRss,
        } satisfies ToParent,
        () => {
          for (const socket of sockets) socket.destroy();
          process.exit(0);
        },
      );
    }, 1_000);
  });
}

// ---- the server and the writer (parent process) ---------------------------------------------------------

function childMessage<T extends ToParent["type"]>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ToParent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${type} from the clients within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ToParent) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as Extract<ToParent, { type: T }>);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`the clients exited (${code}) before sending ${type}`)));
  });
}

async function main(options: Options): Promise<void> {
  const machine = describeMachine();
  console.log(
    `moment fan-out: ${options.clients} SSE clients, ${options.moments} moments at ${options.perSecond}/s ` +
      `(${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node})`,
  );
  const services = await startBenchServices({ kafka: false });
  let server: http.Server | undefined;
  let child: ChildProcess | undefined;
  try {
    const name = "peaklight_bench_moments";
    const writer = await services.freshDatabase(name);
    process.env.DATABASE_URL = services.postgres.url(name);
    process.env.SSE_MAX_STREAM_SECONDS = "3600";
    const { GET } = await import("../app/api/live/moments/route");
    const { recordMomentEvent } = await import("../server/moments/moment-events");

    server = http.createServer((req, res) => {
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(key, value);
      }
      void (async () => {
        const response = await GET(
          new Request(`http://127.0.0.1${req.url}`, { headers, signal: abort.signal }),
        );
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (!response.body) return res.end();
        const reader = response.body.getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
          res.write(chunk.value);
        res.end();
      })().catch((error: unknown) => {
        if (!abort.signal.aborted) console.error(error);
        res.destroy();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const serverRssBefore = rssMb();

    const connectStarted = now();
    child = fork(fileURLToPath(import.meta.url), ["--clients-of", String(port), String(options.clients)], {
      execArgv: ["--import", "tsx"],
    });
    const connected = await childMessage(child, "connected", 120_000);
    const connectSeconds = (now() - connectStarted) / 1_000;
    const serverRssConnected = rssMb();
    console.log(
      `${connected.ready} clients connected in ${connectSeconds.toFixed(1)} s; server RSS ${serverRssBefore} → ` +
        `${serverRssConnected} MB, clients' process ${connected.rssMb} MB`,
    );

    let serverPeakRss = serverRssConnected;
    const sample = setInterval(() => (serverPeakRss = Math.max(serverPeakRss, rssMb())), 250);
    const storedAt = new Map<string, number>();
    const t0 = Date.UTC(2026, 6, 2, 20);
    const gapMs = 1_000 / options.perSecond;
    const started = now();
    for (let i = 0; i < options.moments; i += 1) {
      const due = started + i * gapMs;
      if (due > now()) await new Promise((resolve) => setTimeout(resolve, due - now()));
      // As the scorer opens a moment: candidate, moment and its audit event in one transaction.
      const eventId = await writer.$transaction(async (tx) => {
        const peakAt = new Date(t0 + i * 10_000);
        const key = `football|${peakAt.getTime()}`;
        const markets = [
          {
            country: "FR",
            bucketStart: peakAt.getTime(),
            observed: 300,
            expectedViewers: 100,
            upliftPct: 200,
            score: 0.8,
          },
        ];
        const candidate = await tx.candidateMoment.create({
          data: { key, sport: "football", startedAt: peakAt, status: "open", markets },
        });
        const moment = await tx.moment.create({
          data: {
            candidateId: candidate.id,
            key,
            sport: "football",
            country: "FR",
            countries: ["FR"],
            markets,
            peakAt,
          },
        });
        return recordMomentEvent(tx, moment.id, { actor: "agent:score", action: "opened" });
      });
      storedAt.set(eventId.toString(), now());
    }
    child.send({ type: "done" } satisfies ToChild);
    const results = await childMessage(child, "results", 60_000);
    clearInterval(sample);

    const latencies: number[] = [];
    let missing = 0;
    for (const [eventId, stored] of storedAt) {
      const arrived = results.arrivals[eventId] ?? [];
      missing += options.clients - arrived.length;
      for (const at of arrived) latencies.push(at - stored);
    }
    const p = percentiles(latencies);
    const ms = (value: number | undefined) => `${(value ?? NaN).toFixed(1)} ms`;
    console.log(
      `moment stored → received (${latencies.length.toLocaleString("en-US")} deliveries): p50 ${ms(p?.p50)}, ` +
        `p95 ${ms(p?.p95)}, p99 ${ms(p?.p99)}, max ${ms(p?.max)}`,
    );
    console.log(
      missing === 0
        ? `every client received every moment (${storedAt.size} × ${options.clients})`
        : `MISSING ${missing} deliveries of ${storedAt.size * options.clients}`,
    );
    console.log(
      `RSS: server ${serverRssConnected} MB connected, ${serverPeakRss} MB peak (${serverRssBefore} MB before ` +
        `clients); clients' process ${results.peakRssMb} MB peak`,
    );
    if (missing > 0) process.exitCode = 1;
  } finally {
    child?.kill();
    server?.closeAllConnections();
    server?.close();
    const { liveHub } = await import("../server/live/hub-registry");
    if (process.env.DATABASE_URL) await liveHub().close();
    await (globalThis as { peaklightDb?: { $disconnect(): Promise<void> } }).peaklightDb?.$disconnect();
    await services.stop();
  }
}

if (process.argv[2] === "--clients-of") {
  runClients(Number(process.argv[3]), Number(process.argv[4]));
} else {
  main(parseOptions(process.argv.slice(2))).then(
    // Services are stopped and the figures printed; a server socket of a killed client may linger.
    () => process.exit(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
