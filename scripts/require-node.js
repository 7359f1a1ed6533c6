// Plain JavaScript on purpose: it must run, and explain itself, on any Node
// version with ES modules, before anything that needs Node 24 is even parsed.
//
// An executable of this repository started by an older Node (kubectl runs
// kubectl-yunshu through `#!/usr/bin/env node`, so with whatever node comes
// first on PATH) runs again, whole, on the Node 24 that `npm ci` puts into the
// repository's node_modules/.bin. Only without that does it stop, saying what
// to do. An install without it (the image, `npm install -g`) brings its own
// Node, which passes the check and never looks for it.
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Set for the second run: if the repository's Node is too old as well, stop
// rather than start it again and again.
const RERUN = "YUNSHU_RERUN_NODE";
// Whoever signals this process means the program, which runs in the child.
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  // This file's real path, not the symlink on PATH that kubectl found.
  const repository = dirname(dirname(realpathSync(fileURLToPath(import.meta.url))));
  const projectNode = join(repository, "node_modules", ".bin", "node");
  const script = process.argv[1];
  if (process.env[RERUN] || !script || !existsSync(projectNode)) stop(repository);
  await rerun(projectNode, script, repository);
} else {
  delete process.env[RERUN];
}

function stop(repository, cause) {
  process.stderr.write(
    `yunshu needs Node.js >= 22.19 (Node 24 LTS is what it is tested on); ${process.execPath} is ${process.version}.\n` +
      (cause ? `${cause}\n` : "") +
      `Run \`npm ci\` in ${repository}: it installs Node 24 into node_modules/.bin (the npm package node@24),\n` +
      "which yunshu's executables, `make` and `npm run` use; or put Node.js >= 22.19 first on PATH.\n",
  );
  process.exit(1);
}

/** Runs the same script on the repository's Node; never returns: this process ends as the child did. */
function rerun(node, script, repository) {
  const child = spawn(node, [...process.execArgv, script, ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, [RERUN]: node } });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return new Promise(() => {
    child.on("error", (err) => stop(repository, `Cannot start ${node}: ${err.message}`));
    child.on("exit", (code, signal) => {
      if (signal === null) process.exit(code);
      for (const s of FORWARDED_SIGNALS) process.off(s, forward);
      process.kill(process.pid, signal);
      // Still alive: the signal is one this process inherited as ignored.
      setTimeout(() => process.exit(128 + constants.signals[signal]), 100);
    });
  });
}
