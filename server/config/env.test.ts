import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, parseConfig, streamTransportKind } from "./env";

describe("configuration", () => {
  it("runs on embedded defaults with no variables set", () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.BUCKET_SECONDS).toBe(10);
    expect(streamTransportKind(config)).toBe("inproc");
  });

  it("selects Kafka when brokers are given", () => {
    const config = parseConfig({ KAFKA_BROKERS: "127.0.0.1:9092,kafka-2:9092" });
    expect(streamTransportKind(config)).toBe("kafka");
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", KAFKA_BROKERS: "" }).KAFKA_BROKERS).toBeUndefined();
  });

  it("names every bad variable, what it expects and what it got", () => {
    try {
      parseConfig({
        PORT: "abc",
        DATABASE_URL: "mysql://x/y",
        DEMO_REPLAY: "maybe",
        KAFKA_BROKERS: "nohost",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT: expected a port number 1-65535 (got "abc")');
      expect(message).toContain('DATABASE_URL: expected a postgresql:// URL (got "mysql://x/y")');
      expect(message).toContain('DEMO_REPLAY: expected true or false (got "maybe")');
      expect(message).toContain("KAFKA_BROKERS: expected host:port");
    }
  });
});

describe("configuration documentation", () => {
  it("lists every variable in the README's table and in .env.example", () => {
    const readme = readFileSync("README.md", "utf8");
    const example = readFileSync(".env.example", "utf8");
    const undocumented = CONFIG_VARIABLES.filter((name) => !readme.includes(`\`${name}\``));
    const missingFromExample = CONFIG_VARIABLES.filter(
      (name) => !new RegExp(`^#? ?${name}=`, "m").test(example),
    );
    expect(undocumented).toEqual([]);
    expect(missingFromExample).toEqual([]);
  });
});
