// npm scripts must run on the pinned Node 24 from node_modules/.bin, never on the machine's Node 20.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `sluice: running on Node ${process.versions.node}; the project needs the pinned Node 24 ` +
      `(node_modules/.bin/node). Run 'npm ci' (without --ignore-scripts) and use 'npm run …'.`,
  );
  process.exit(1);
}
