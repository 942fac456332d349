// Prints how long loadAwsConfig takes in this process, in ms. bench/run.ts bundles it like the
// CLI and runs it in fresh processes: cold, as every command pays it before anything else.
import { loadAwsConfig } from '../src/config/load.js';

const start = performance.now();
loadAwsConfig();
console.log(performance.now() - start);
