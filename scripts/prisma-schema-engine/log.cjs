// Log lines for the Prisma CLI, which reads the engine's stderr as JSON lines shaped like the native engine's.
"use strict";

/**
 * Writes one log event to stderr. The CLI keeps `fields.message` of every line and shows the last ERROR one
 * if the engine exits with code 1; stdout is reserved for JSON-RPC.
 * @param {"INFO" | "WARN" | "ERROR"} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 */
function log(level, message, fields = {}) {
  const event = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...fields },
    target: "schema_engine::logger",
  };
  process.stderr.write(`${JSON.stringify(event)}\n`);
}

module.exports = { log };
