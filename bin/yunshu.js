#!/usr/bin/env node
// Makes sure a recent enough Node runs this (on an older one it runs again on
// the repository's) before importing anything that needs Node 24: static
// imports would be parsed (and fail obscurely) before any check could run.
import "../scripts/require-node.js";

await import("../operator/cli.ts");
