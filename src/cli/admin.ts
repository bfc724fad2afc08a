// `npm run admin -- …`: user administration for servers without UI access yet.
import { createDb } from '../lib/server/db';
import { ADMIN_USAGE, parseAdminArgs, runAdminCommand, UsageError } from '../lib/server/admin-cli';
import { importShippedContent, refreshContent } from '../lib/server/content/store';

const argv = process.argv.slice(2);
try {
	parseAdminArgs(argv);
} catch (e) {
	if (!(e instanceof UsageError)) throw e;
	if (e.message) console.error(`Error: ${e.message}\n`);
	console.error(ADMIN_USAGE);
	process.exit(2);
}

const handle = await createDb({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined });
try {
	await handle.migrate();
	await importShippedContent(handle.db);
	await refreshContent(handle.db);
	const code = await runAdminCommand(handle.db, argv, {
		out: (line) => console.log(line),
		err: (line) => console.error(line),
		baseUrl: process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`
	});
	process.exitCode = code;
} finally {
	await handle.close();
}
