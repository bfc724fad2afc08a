import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../src/lib/server/db';
import { and, eq } from 'drizzle-orm';
import { courseAssignment } from '../../src/lib/server/db/schema';

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

/**
 * How many statements `run` sends through `db` (transactions included): a flow whose count grows
 * with the rows it touches queries per row. Counts through the query logger drizzle's session
 * passes to every statement it prepares, here and in the transactions it opens.
 */
export async function countStatements(db: TestDb['db'], run: () => Promise<unknown>): Promise<number> {
	const session = (db as unknown as { session: { logger: unknown; options: { logger?: unknown } } }).session;
	const saved = { logger: session.logger, option: session.options.logger };
	let count = 0;
	const counting = { logQuery: () => void count++ };
	session.logger = counting;
	session.options.logger = counting;
	try {
		await run();
	} finally {
		session.logger = saved.logger;
		session.options.logger = saved.option;
	}
	return count;
}

/** The database with every `select` counted: a load's number of queries, whatever the history. */
export function countingSelects<D extends object>(db: D): { db: D; counter: { selects: number } } {
	const counter = { selects: 0 };
	const proxy = new Proxy(db, {
		get(target, prop, receiver) {
			if (prop === 'select') counter.selects++;
			const value = Reflect.get(target, prop, receiver);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
	return { db: proxy, counter };
}

/** One person's assignment row of a course, if any. */
export async function assignmentRow(db: TestDb['db'], userId: string, courseSlug: string) {
	return (await db.select().from(courseAssignment).where(and(eq(courseAssignment.userId, userId), eq(courseAssignment.courseSlug, courseSlug))))[0];
}
