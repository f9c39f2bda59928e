#!/usr/bin/env node
// placeholder replaced by the schema-engine shim
process.exit(1);
