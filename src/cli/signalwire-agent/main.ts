import { runSignalwireAgent } from './program.js';

// The one place that exits: the RELAY SDK keeps reconnect timers alive after a timed-out connect.
process.exit(await runSignalwireAgent(process.argv.slice(2)));
