import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { session } from '../../src/lib/server/db/schema';
import * as auth from '../../src/lib/server/auth/session';
import { createUser, setActive } from '../../src/lib/server/users';
import { findCourse } from '../../src/lib/server/content';
import { recordCompleted, recordOpened } from '../../src/lib/server/learning/queries';

let t: TestDb;
let userId: string;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
	t = await freshDb();
	userId = (await createUser(t.db, { email: 'tech@example.com', displayName: 'Tech', roles: ['technician', 'trainer'] }, null)).id;
	await createUser(t.db, { email: 'boss@example.com', displayName: 'Boss', roles: ['admin'] }, null);
});
afterAll(() => t.dispose());

describe('sessions', () => {
	it('store only the SHA-256 of the token and return the user with roles', async () => {
		const token = auth.generateToken();
		const now = new Date('2026-01-01T00:00:00Z');
		const created = await auth.createSession(t.db, token, userId, now);
		const [row] = await t.db.select().from(session).where(eq(session.id, created.id));
		expect(row!.id).toBe(auth.hashToken(token));
		expect(row!.id).not.toContain(token);
		expect(row!.expiresAt.getTime() - now.getTime()).toBe(30 * DAY);

		const found = await auth.validateSessionToken(t.db, token, now);
		expect(found.user).toMatchObject({ id: userId, email: 'tech@example.com', roles: ['technician', 'trainer'] });
	});

	it('slide: a session used with under 15 days left is extended to 30 days from now', async () => {
		const token = auth.generateToken();
		const start = new Date('2026-01-01T00:00:00Z');
		await auth.createSession(t.db, token, userId, start);
		const day10 = new Date(start.getTime() + 10 * DAY);
		const early = await auth.validateSessionToken(t.db, token, day10);
		expect(early.session!.expiresAt.getTime()).toBe(start.getTime() + 30 * DAY);
		expect(early.session!.renewed).toBe(false);
		const day20 = new Date(start.getTime() + 20 * DAY);
		const renewed = await auth.validateSessionToken(t.db, token, day20);
		expect(renewed.session!.expiresAt.getTime()).toBe(day20.getTime() + 30 * DAY);
		expect(renewed.session!.renewed).toBe(true);
		const [row] = await t.db.select().from(session).where(eq(session.id, auth.hashToken(token)));
		expect(row!.expiresAt.getTime()).toBe(day20.getTime() + 30 * DAY);
	});

	it("carry a stamp of the user's learning progress that changes with every progress write, and only then", async () => {
		const course = findCourse('complaints')!;
		const token = auth.generateToken();
		await auth.createSession(t.db, token, userId);
		const stamp = async () => (await auth.validateSessionToken(t.db, token)).user!.progressStamp;
		const seen = [await stamp()];
		expect(await stamp()).toBe(seen[0]);
		const ref = { userId, course, lessonSlug: course.lessons[0]!.slug, locale: 'en' as const };
		await recordOpened(t.db, ref);
		seen.push(await stamp());
		await recordOpened(t.db, { ...ref, lessonSlug: course.lessons[1]!.slug });
		seen.push(await stamp());
		await recordOpened(t.db, ref);
		seen.push(await stamp());
		await recordCompleted(t.db, ref);
		seen.push(await stamp());
		expect(new Set(seen).size).toBe(seen.length);
		expect(await stamp()).toBe(seen.at(-1));
		// Another user's progress is not this user's.
		const other = (await createUser(t.db, { email: 'other@example.com', displayName: 'Other', roles: ['technician'] }, null)).id;
		await recordOpened(t.db, { ...ref, userId: other });
		expect(await stamp()).toBe(seen.at(-1));
	});

	it('expire: an expired session is refused and removed', async () => {
		const token = auth.generateToken();
		const start = new Date('2026-01-01T00:00:00Z');
		await auth.createSession(t.db, token, userId, start);
		const late = new Date(start.getTime() + 31 * DAY);
		expect(await auth.validateSessionToken(t.db, token, late)).toEqual({ session: null, user: null });
		expect(await t.db.select().from(session).where(eq(session.id, auth.hashToken(token)))).toHaveLength(0);
	});

	it('treat tampered, unknown and malformed tokens as signed out', async () => {
		const token = auth.generateToken();
		await auth.createSession(t.db, token, userId);
		const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
		for (const bad of [flipped, auth.generateToken(), '', 'x', token + 'x', "' or 1=1 --", 'é'.repeat(24)]) {
			expect(await auth.validateSessionToken(t.db, bad)).toEqual({ session: null, user: null });
		}
	});

	it('end when the user is deactivated', async () => {
		const other = await createUser(t.db, { email: 'leaver@example.com', displayName: 'Leaver', roles: ['technician'] }, null);
		const token = auth.generateToken();
		await auth.createSession(t.db, token, other.id);
		await setActive(t.db, other.id, false, null);
		expect((await auth.validateSessionToken(t.db, token)).user).toBeNull();
	});

	it('can all be ended for a user, optionally keeping the current one', async () => {
		const a = auth.generateToken();
		const b = auth.generateToken();
		const sa = await auth.createSession(t.db, a, userId);
		await auth.createSession(t.db, b, userId);
		await auth.invalidateUserSessions(t.db, userId, sa.id);
		expect((await auth.validateSessionToken(t.db, a)).user).not.toBeNull();
		expect((await auth.validateSessionToken(t.db, b)).user).toBeNull();
		await auth.invalidateUserSessions(t.db, userId);
		expect((await auth.validateSessionToken(t.db, a)).user).toBeNull();
	});

	it('expired rows can be swept', async () => {
		const token = auth.generateToken();
		await auth.createSession(t.db, token, userId, new Date('2020-01-01T00:00:00Z'));
		await auth.deleteExpiredSessions(t.db, new Date('2026-01-01T00:00:00Z'));
		expect(await t.db.select().from(session).where(eq(session.id, auth.hashToken(token)))).toHaveLength(0);
	});
});
