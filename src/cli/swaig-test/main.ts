import { runSwaigTest } from './program.js';

// The one place that exits: an agent file may leave timers or child-process handles behind after close().
process.exit(await runSwaigTest(process.argv.slice(2)));
