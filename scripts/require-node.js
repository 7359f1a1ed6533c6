// Plain JavaScript on purpose: it must run, and explain itself, on any Node
// version, before anything that needs Node 24 is even parsed.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `yunshu needs Node.js >= 22.19 (Node 24 LTS is what it is tested on); this is ${process.version}.\n` +
      "Run `npm ci` in the repository: it installs Node 24 into node_modules/.bin (the npm package node@24),\n" +
      "then use `make ...` or `npm run ...`, which put node_modules/.bin first on PATH.\n",
  );
  process.exit(1);
}
