import type { PGlite } from '@electric-sql/pglite';

/** What pg-boss needs of a database (its `db` option): run SQL, get rows back. */
export interface QueueDb {
	/** pg-boss reads its own columns from the rows, untyped. */
	executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/**
 * pg-boss on the embedded database. pg-boss sends two kinds of SQL:
 * - parameterised single statements → PGlite `query` (extended protocol, one implicit transaction);
 * - parameterless scripts, some with several statements and their own BEGIN … COMMIT (its schema
 *   migrations, its locked maintenance) → PGlite `exec` (simple protocol), and the rows of the last
 *   statement come back.
 * A script runs inside PGlite's exclusive transaction: no other query of this process (the app
 * shares the one embedded connection) can slip in between its statements, and when a statement
 * fails PGlite rolls everything back, so the shared connection is never left in an aborted
 * transaction. (The script's own BEGIN and COMMIT then only raise warnings.)
 */
export function pgliteExecutor(client: PGlite): QueueDb {
	return {
		async executeSql(text, values) {
			if (values && values.length > 0) return client.query(text, values);
			return client.transaction(async (tx) => {
				const results = await tx.exec(text);
				return { rows: results.at(-1)?.rows ?? [] };
			});
		}
	};
}
