#!/usr/bin/env node
// Checks the Node version before importing anything that needs Node 24: static
// imports would be parsed (and fail obscurely) before any check could run.
import "../scripts/require-node.js";

await import("../operator/cli.ts");
