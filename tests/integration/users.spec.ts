import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, user } from '../../src/lib/server/db/schema';
import * as auth from '../../src/lib/server/auth/session';
import { verifyPassword } from '../../src/lib/server/auth/password';
import {
	acceptInvitation,
	changePassword,
	createUser,
	findInvitation,
	INVITATION_TTL_MS,
	inviteUser,
	listUsers,
	reinviteUser,
	setActive,
	setRoles,
	setTeam
} from '../../src/lib/server/users';
import { listAudit } from '../../src/lib/server/audit';
import { refusal } from '../helpers/errors';

let t: TestDb;
let adminId: string;

beforeAll(async () => {
	t = await freshDb();
	adminId = (await createUser(t.db, { email: 'root@example.com', displayName: 'Root', roles: ['admin'], password: 'root-password-1' }, null)).id;
});
afterAll(() => t.dispose());


async function auditFor(subjectId: string) {
	return t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, subjectId)).orderBy(auditEvent.id);
}

describe('creating users', () => {
	it('records user creation in the audit log with the roles', async () => {
		const u = await createUser(t.db, { email: 'New@Example.com', displayName: ' New ', roles: ['trainer', 'technician'] }, adminId);
		expect(u.email).toBe('new@example.com');
		expect(u.displayName).toBe('New');
		expect(u.roles).toEqual(['technician', 'trainer']);
		const events = await auditFor(u.id);
		expect(events.map((e) => e.action)).toEqual(['user.created']);
		expect(events[0]!.actorId).toBe(adminId);
		expect(events[0]!.detail).toMatchObject({ roles: ['technician', 'trainer'] });
	});

	it('refuses a duplicate email in any case and writes nothing', async () => {
		const before = await t.db.select().from(user);
		const e = await refusal(createUser(t.db, { email: 'NEW@example.com', displayName: 'Dup', roles: [] }, adminId));
		expect(e).toMatchObject({ field: 'email', status: 409 });
		expect(await t.db.select().from(user)).toHaveLength(before.length);
	});

	it('refuses an unknown team', async () => {
		const e = await refusal(
			createUser(t.db, { email: 'x@example.com', displayName: 'X', roles: [], teamId: '00000000-0000-4000-8000-000000000000' }, adminId)
		);
		expect(e.field).toBe('teamId');
	});
});

describe('invitations', () => {
	it('run from invite to password to sign-in, once', async () => {
		const now = new Date();
		const invited = await inviteUser(t.db, { email: 'joiner@example.com', displayName: 'Joiner', roles: ['technician'] }, adminId, now);
		expect(invited.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
		expect(invited.expiresAt.getTime() - now.getTime()).toBe(INVITATION_TTL_MS);
		expect(await findInvitation(t.db, invited.token)).toMatchObject({ ok: true, email: 'joiner@example.com' });

		const weak = await refusal(acceptInvitation(t.db, invited.token, 'short'));
		expect(weak.field).toBe('password');

		const accepted = await acceptInvitation(t.db, invited.token, 'a-good-password');
		expect(accepted.roles).toEqual(['technician']);
		const [row] = await t.db.select().from(user).where(eq(user.id, invited.user.id));
		expect(await verifyPassword(row!.passwordHash!, 'a-good-password')).toBe(true);

		expect(await findInvitation(t.db, invited.token)).toMatchObject({ ok: false, reason: expect.stringMatching(/already been used/) });
		const again = await refusal(acceptInvitation(t.db, invited.token, 'another-password'));
		expect(again.status).toBe(410);
		expect((await auditFor(invited.user.id)).map((e) => e.action)).toEqual([
			'user.created',
			'user.invited',
			'user.invitation_accepted'
		]);
	});

	it('expire after their validity', async () => {
		const past = new Date(Date.now() - INVITATION_TTL_MS - 1000);
		const invited = await inviteUser(t.db, { email: 'late@example.com', displayName: 'Late', roles: ['technician'] }, adminId, past);
		expect(await findInvitation(t.db, invited.token)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
		expect((await refusal(acceptInvitation(t.db, invited.token, 'a-good-password'))).status).toBe(410);
	});

	it('a new link replaces the old one', async () => {
		const first = await inviteUser(t.db, { email: 'again@example.com', displayName: 'Again', roles: ['technician'] }, adminId);
		const second = await reinviteUser(t.db, first.user.id, adminId);
		expect((await findInvitation(t.db, first.token)).ok).toBe(false);
		expect((await findInvitation(t.db, second.token)).ok).toBe(true);
	});

	it('reject forged tokens', async () => {
		expect((await findInvitation(t.db, 'A'.repeat(24))).ok).toBe(false);
		expect((await findInvitation(t.db, '../../etc/passwd')).ok).toBe(false);
	});
});

describe('roles and activation', () => {
	it('role changes are audited with before and after', async () => {
		const u = await createUser(t.db, { email: 'rc@example.com', displayName: 'RC', roles: ['technician'] }, adminId);
		const result = await setRoles(t.db, u.id, ['manager', 'technician'], adminId);
		expect(result).toEqual({ before: ['technician'], after: ['technician', 'manager'], changed: true });
		const unchanged = await setRoles(t.db, u.id, ['technician', 'manager'], adminId);
		expect(unchanged.changed).toBe(false);
		const events = await auditFor(u.id);
		expect(events.map((e) => e.action)).toEqual(['user.created', 'user.roles_changed']);
		expect(events[1]!.detail).toEqual({ before: ['technician'], after: ['technician', 'manager'] });
	});

	it('the last active admin keeps the admin role and cannot be deactivated', async () => {
		expect((await refusal(setRoles(t.db, adminId, ['technician'], adminId))).status).toBe(409);
		const other = await createUser(t.db, { email: 'second-admin@example.com', displayName: 'Two', roles: ['admin'] }, adminId);
		expect((await refusal(setActive(t.db, adminId, false, adminId))).message).toMatch(/your own account/);
		await setActive(t.db, other.id, false, adminId);
		expect((await refusal(setRoles(t.db, adminId, [], other.id))).message).toMatch(/one active admin/);
	});

	it('deactivation ends every session of the user and is audited', async () => {
		const u = await createUser(t.db, { email: 'gone@example.com', displayName: 'Gone', roles: ['technician'] }, adminId);
		const tokens = [auth.generateToken(), auth.generateToken()];
		for (const tok of tokens) await auth.createSession(t.db, tok, u.id);
		await setActive(t.db, u.id, false, adminId);
		for (const tok of tokens) expect((await auth.validateSessionToken(t.db, tok)).user).toBeNull();
		await setActive(t.db, u.id, true, adminId);
		expect((await auditFor(u.id)).map((e) => e.action)).toEqual(['user.created', 'user.deactivated', 'user.reactivated']);
	});

	it('team changes are audited', async () => {
		const u = await createUser(t.db, { email: 'mover@example.com', displayName: 'Mover', roles: ['technician'] }, adminId);
		const e = await refusal(setTeam(t.db, u.id, '00000000-0000-4000-8000-000000000001', adminId));
		expect(e.field).toBe('teamId');
	});
});

describe('passwords', () => {
	it('a change needs the current password and ends every other session', async () => {
		const u = await createUser(t.db, { email: 'pw@example.com', displayName: 'PW', roles: ['technician'], password: 'first-password-1' }, null);
		const keep = auth.generateToken();
		const other = auth.generateToken();
		const kept = await auth.createSession(t.db, keep, u.id);
		await auth.createSession(t.db, other, u.id);
		expect((await refusal(changePassword(t.db, u.id, 'wrong-password', 'second-password-2', kept.id))).field).toBe('currentPassword');
		expect((await refusal(changePassword(t.db, u.id, 'first-password-1', 'first-password-1', kept.id))).field).toBe('newPassword');
		await changePassword(t.db, u.id, 'first-password-1', 'second-password-2', kept.id);
		expect((await auth.validateSessionToken(t.db, keep)).user).not.toBeNull();
		expect((await auth.validateSessionToken(t.db, other)).user).toBeNull();
		expect((await auditFor(u.id)).map((e) => e.action)).toContain('user.password_changed');
	});
});

describe('listing', () => {
	it('filters by text, role and finds roles in one query', async () => {
		const all = await listUsers(t.db);
		expect(all.length).toBeGreaterThan(5);
		const admins = await listUsers(t.db, { role: 'admin' });
		expect(admins.every((u) => u.roles.includes('admin'))).toBe(true);
		expect((await listUsers(t.db, { q: 'JOINER' })).map((u) => u.email)).toEqual(['joiner@example.com']);
		expect(await listUsers(t.db, { q: '%' })).toEqual([]);
	});

	it('the audit log lists newest first with names', async () => {
		const rows = await listAudit(t.db, { limit: 3 });
		expect(rows).toHaveLength(3);
		expect(rows[0]!.id).toBeGreaterThan(rows[1]!.id);
	});
});
