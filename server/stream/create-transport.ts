// Picks the stream transport from configuration: Kafka when KAFKA_BROKERS is set, else in-process.
import type { Logger } from "pino";
import { streamTransportKind, type Config } from "../config/env";
import { InProcessTransport } from "./inproc-transport";
import { KafkaTransport } from "./kafka-transport";
import type { StreamTransport } from "./transport";

export function createTransport(config: Config, log: Logger): StreamTransport {
  if (streamTransportKind(config) === "kafka") {
    return new KafkaTransport({
      brokers: config.KAFKA_BROKERS!.split(","),
      clientId: config.KAFKA_CLIENT_ID,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      log,
    });
  }
  return new InProcessTransport();
}
