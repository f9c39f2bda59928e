// Loads the WebAssembly schema engine on Node 20, which cannot import the npm package's `.wasm` ES module:
// we compile the wasm ourselves and link it to the package's JS glue.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { log } = require("./log.cjs");

// The CLI ships its exact engine build (prisma/build/schema_engine_bg.wasm) but no JS that loads it; npm
// never got a glue package for that build. The newest glue links to it by import name, and when a future
// CLI's wasm stops linking (LinkError) we fall back to the glue package's own, slightly different, build.
const WASM_CANDIDATES = [
  {
    label: "the Prisma CLI's own build",
    file: () =>
      path.join(path.dirname(require.resolve("prisma/package.json")), "build/schema_engine_bg.wasm"),
  },
  {
    label: "@prisma/schema-engine-wasm's build",
    file: () =>
      path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm"),
  },
];

// A Rust panic reaches JS as a bare `RuntimeError: unreachable`; the glue reports the panic message here
// first (and crashes on a missing registry), so keep the last one to show the user.
const panicRegistry = {
  lastMessage: undefined,
  set_message(message) {
    this.lastMessage = message;
  },
};

/** @returns {Promise<{ SchemaEngine: typeof import("@prisma/schema-engine-wasm").SchemaEngine, gitHash: string, label: string }>} the glue's engine class, wired to a wasm build. */
function loadSchemaEngine() {
  // The glue keeps the instance in module state, so there is one engine build per process.
  loaded ??= instantiate();
  return loaded;
}
let loaded;

async function instantiate() {
  globalThis.PRISMA_WASM_PANIC_REGISTRY = panicRegistry;
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  for (const [index, candidate] of WASM_CANDIDATES.entries()) {
    try {
      const compiled = new WebAssembly.Module(fs.readFileSync(candidate.file()));
      const instance = new WebAssembly.Instance(compiled, { "./schema_engine_bg.js": glue });
      glue.__wbg_set_wasm(instance.exports);
      instance.exports.__wbindgen_start();
      return { SchemaEngine: glue.SchemaEngine, gitHash: glue.version(), label: candidate.label };
    } catch (error) {
      const canFallBack =
        error instanceof WebAssembly.LinkError ||
        error.code === "ENOENT" ||
        error.code === "MODULE_NOT_FOUND";
      if (!canFallBack || index === WASM_CANDIDATES.length - 1) throw error;
      log(
        "WARN",
        `Cannot use ${candidate.label} of the schema engine (${error.message}); trying the next one`,
      );
    }
  }
  throw new Error("unreachable: no wasm candidates");
}

/** True for a Rust panic inside the engine; `takePanicMessage` then says what panicked. */
function isPanic(error) {
  return error instanceof WebAssembly.RuntimeError;
}

function takePanicMessage() {
  const message = panicRegistry.lastMessage;
  panicRegistry.lastMessage = undefined;
  return message;
}

module.exports = { isPanic, loadSchemaEngine, takePanicMessage };
