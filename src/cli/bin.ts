// Process entry of the `stockops` command.
import { main } from './main.js';

await main(process.argv);
