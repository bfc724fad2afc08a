// `npm run db:migrate` applies the migrations; `npm run db:seed -- --demo` loads the demo organisation.
import { createDb } from '../lib/server/db';
import { formatDemoLogins, seedDemo } from '../lib/server/demo';
import { importShippedContent, refreshContent } from '../lib/server/content/store';

const [command, ...rest] = process.argv.slice(2);
const usage = 'Usage: npm run db:migrate | npm run db:seed -- --demo';

if (command !== 'migrate' && command !== 'seed') {
	console.error(`Error: unknown command "${command ?? ''}".\n${usage}`);
	process.exit(2);
}
if (command === 'seed' && (rest.length !== 1 || rest[0] !== '--demo')) {
	console.error(`Error: seeding needs --demo (the only data set there is: demo users and teams).\n${usage}`);
	process.exit(2);
}
if (command === 'migrate' && rest.length) {
	console.error(`Error: migrate takes no options.\n${usage}`);
	process.exit(2);
}

const handle = await createDb({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined });
try {
	await handle.migrate();
	await importShippedContent(handle.db);
	await refreshContent(handle.db);
	console.log(`Migrations applied (${handle.engine}).`);
	if (command === 'seed') {
		const { created } = await seedDemo(handle.db);
		console.log(created ? 'Demo organisation loaded.' : 'Demo organisation was already there; nothing changed.');
		console.log(formatDemoLogins(process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`));
	}
} finally {
	await handle.close();
}
