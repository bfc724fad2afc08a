// One app process of src/cli/processes.js: runs the built app given as its argument. Stopped with
// SIGTERM or SIGINT it ends as a lone process does (adapter-node finishes the requests in flight,
// the app closes its queue and database) and then exits: the channel to the first process no
// longer keeps it alive.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) {
	console.error('Usage: node src/cli/process-worker.js <build>/index.js (started by src/cli/processes.js)');
	process.exit(2);
}
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.once(signal, () => process.channel?.unref());
await import(pathToFileURL(path.resolve(entry)).href);
