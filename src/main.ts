import { main } from './cli.js';
import { processContext } from './commands/context.js';

process.exitCode = await main(process.argv.slice(2), processContext());
