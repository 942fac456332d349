import { main } from './cli.js';
import { processContext } from './cli/context.js';

// No top-level await: the entry is bundled as CommonJS for start-up speed.
void main(process.argv.slice(2), processContext()).then((code) => {
  process.exitCode = code;
});
