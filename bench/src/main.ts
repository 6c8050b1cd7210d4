// `npm run bench -- <group>`: runs one benchmark group (or `all`) and prints JSON lines on stdout.
// Each group registers here with one line; progress goes to stderr.
import { runCompileBench } from './compile.js';
import { runEditorBench } from './editor.js';
import { runEngineBench } from './engine.js';
import { runGatesBench } from './gates.js';
import { runOverlayBench } from './overlay.js';
import { runRunViewBench } from './runview.js';

const groups: Record<string, () => Promise<void>> = {
  compile: runCompileBench,
  engine: runEngineBench,
  gates: runGatesBench,
  editor: runEditorBench,
  overlay: runOverlayBench,
  runview: runRunViewBench,
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const names = requested.length === 0 || requested.includes('all') ? Object.keys(groups) : requested;
  const unknown = names.filter((name) => !Object.hasOwn(groups, name));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark group: ${unknown.join(', ')}; known: ${Object.keys(groups).join(', ')}, all\n`,
    );
    process.exitCode = 2;
    return;
  }
  for (const name of names) {
    process.stderr.write(`== ${name}\n`);
    await groups[name]?.();
  }
}

await main();
