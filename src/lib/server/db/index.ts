import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import { CONNECT_TIMEOUT_SECONDS, reconnectDelaySeconds } from './connection';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
	db: Db;
	engine: 'pglite' | 'postgres';
	/** True when this call created the embedded database (its folder was empty or it lives in memory). */
	created: boolean;
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export interface DbOptions {
	/** A PostgreSQL connection string; when absent the embedded database is used. */
	url?: string;
	/** Folder of the embedded database, or `memory://` for one that lives only in this process. */
	dataDir?: string;
	/** A dump made by `dumpDataDir()` to start the embedded database from (tests clone a migrated template). */
	loadDataDir?: Blob | File;
	/** Folder holding drizzle-kit's migrations. */
	migrationsFolder?: string;
	/** Connections in the postgres.js pool. */
	max?: number;
}

export const DEFAULT_DATA_DIR = './data';
const MEMORY = 'memory://';

function defaultMigrationsFolder(): string {
	return process.env.MIGRATIONS_DIR ?? path.resolve('drizzle');
}

/**
 * drizzle sends its queries to postgres.js unprepared, and postgres.js then asks the server to
 * describe every query that has parameters before it runs it: two round trips, and a parse and a
 * plan, each time. Prepared, a query is described once per connection and then runs in one round
 * trip (postgres.js's own default). The statements a connection keeps are the app's query texts,
 * a fixed set but for list lengths, and go with the connection (postgres.js renews connections
 * after 30 to 60 minutes). Transactions and savepoints hand out clients that do the same.
 */
export function preparing<T extends postgres.Sql>(client: T): T {
	return new Proxy(client, {
		get(target, key, receiver) {
			if (key === 'unsafe')
				return (query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
					target.unsafe(query, args ?? [], { ...options, prepare: true });
			if (key === 'begin' || key === 'savepoint')
				return (...a: unknown[]) => {
					const fn = a.pop() as (sql: postgres.Sql) => unknown;
					return (target as unknown as Record<string, (...b: unknown[]) => unknown>)[key]!(...a, (sql: postgres.Sql) => fn(preparing(sql)));
				};
			return Reflect.get(target, key, receiver);
		}
	});
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
	const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
	if (options.url) {
		const client = postgres(options.url, {
			max: options.max ?? 10,
			// Fail fast while the server is away, and reconnect soon once it is back (see ./connection).
			connect_timeout: CONNECT_TIMEOUT_SECONDS,
			backoff: reconnectDelaySeconds,
			onnotice: () => {},
			connection: { application_name: 'serviceready' }
		});
		const db = drizzlePostgres({ client: preparing(client), schema, casing: 'snake_case' });
		return {
			db,
			engine: 'postgres',
			created: false,
			migrate: () => migratePostgres(db, { migrationsFolder }),
			close: () => client.end({ timeout: 5 })
		};
	}

	const dataDir = options.dataDir ?? (options.loadDataDir ? MEMORY : DEFAULT_DATA_DIR);
	const inMemory = dataDir === MEMORY || dataDir.startsWith(MEMORY);
	let created = inMemory || Boolean(options.loadDataDir);
	if (!inMemory) {
		// PGlite fails with ENOENT when the folder is missing; an empty folder means a new database.
		mkdirSync(dataDir, { recursive: true });
		created = readdirSync(dataDir).length === 0;
	}
	const client = await PGlite.create({
		dataDir: inMemory ? undefined : dataDir,
		loadDataDir: options.loadDataDir
	});
	const db = drizzlePglite({ client, schema, casing: 'snake_case' });
	return {
		db,
		engine: 'pglite',
		created,
		migrate: () => migratePglite(db, { migrationsFolder }),
		close: () => client.close()
	};
}

/** The embedded client behind a handle, for dumping a migrated template in tests. */
export function pgliteClient(db: Db): PGlite {
	const client = (db as unknown as { $client: unknown }).$client;
	if (!(client instanceof PGlite)) throw new Error('Not an embedded database');
	return client;
}

export { schema };
