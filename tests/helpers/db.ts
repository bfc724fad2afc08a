import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../src/lib/server/db';

export interface TestDb extends DbHandle {
	/** The connection string of this file's own database (server mode only). */
	url: string | null;
	dispose(): Promise<void>;
}

let counter = 0;

/**
 * A fresh, fully migrated database for one test file: a clone of the embedded template, or with
 * DATABASE_URL a new database on that server copied from the migrated template database.
 */
export async function freshDb(): Promise<TestDb> {
	const url = process.env.DATABASE_URL;
	if (url) {
		const name = `sr_test_${inject('runId')}_${process.pid}_${counter++}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}" template "${inject('pgTemplateDb')}"`);
		const own = new URL(url);
		own.pathname = `/${name}`;
		const handle = await createDb({ url: own.toString(), max: 4 });
		return {
			...handle,
			url: own.toString(),
			async dispose() {
				await handle.close();
				await admin.unsafe(`drop database if exists "${name}" with (force)`);
				await admin.end();
			}
		};
	}
	const template = readFileSync(inject('pgliteTemplate'));
	const handle = await createDb({ loadDataDir: new Blob([template]) });
	return { ...handle, url: null, dispose: () => handle.close() };
}

/** Rows of a raw `db.execute()`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
	return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}
