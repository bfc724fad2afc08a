import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { freshDb, rowsOf, type TestDb } from '../helpers/db';
import { auditEvent } from '../../src/lib/server/db/schema';
import { recordAudit } from '../../src/lib/server/audit';
import { failure } from '../helpers/errors';

let t: TestDb;
beforeAll(async () => {
	t = await freshDb();
});
afterAll(() => t.dispose());

describe('migrations', () => {
	it('create every table of the first data model', async () => {
		const result = await t.db.execute(
			sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
		);
		const names = rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
		expect(names).toEqual(
			expect.arrayContaining(['audit_event', 'invitation', 'login_attempt', 'session', 'team', 'team_manager', 'user', 'user_role'])
		);
	});

	it('are idempotent: applying them again changes nothing', async () => {
		await expect(t.migrate()).resolves.toBeUndefined();
	});

	it('refuse an upper-case email, so lookups never miss by case', async () => {
		expect(await failure(t.db.execute(sql`insert into "user" (email, display_name) values ('Mixed@Example.com', 'x')`))).toMatch(
			/user_email_lower/
		);
	});
});

describe('audit_event', () => {
	it('accepts new rows', async () => {
		await recordAudit(t.db, { actorId: null, action: 'user.created', subjectType: 'user', subjectId: 'u1', detail: { roles: ['admin'] } });
		const rows = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, 'u1'));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.detail).toEqual({ roles: ['admin'] });
	});

	it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
		expect(await failure(t.db.update(auditEvent).set({ action: 'forged' }).where(eq(auditEvent.subjectId, 'u1')))).toMatch(
			/append-only: UPDATE refused/
		);
		expect(await failure(t.db.delete(auditEvent).where(eq(auditEvent.subjectId, 'u1')))).toMatch(/append-only: DELETE refused/);
		expect(await failure(t.db.execute(sql`truncate audit_event`))).toMatch(/append-only: TRUNCATE refused/);
		const rows = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, 'u1'));
		expect(rows.map((r) => r.action)).toEqual(['user.created']);
	});
});
