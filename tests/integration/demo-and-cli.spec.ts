import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, courseAssignment, team, teamManager, user } from '../../src/lib/server/db/schema';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../../src/lib/server/demo';
import { authenticate, findUserByEmail, listUsers } from '../../src/lib/server/users';
import { runAdminCommand } from '../../src/lib/server/admin-cli';
import * as auth from '../../src/lib/server/auth/session';
import { assignCourse } from '../../src/lib/server/learning/assignments';

let t: TestDb;
beforeAll(async () => {
	t = await freshDb();
});
afterAll(() => t.dispose());

async function westTeam() {
	const [row] = await t.db.select().from(team).where(eq(team.name, 'West team'));
	return row!;
}

function io() {
	const out: string[] = [];
	const err: string[] = [];
	return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), baseUrl: 'https://sr.example.com' } };
}

describe('demo organisation', () => {
	it('loads the four role logins and a dozen technicians in two teams, once', async () => {
		expect(await seedDemo(t.db)).toEqual({ created: true });
		expect(await seedDemo(t.db)).toEqual({ created: false });
		const users = await listUsers(t.db);
		expect(users).toHaveLength(DEMO_PEOPLE.length);
		const technicians = users.filter((u) => u.roles.includes('technician') && u.teamId);
		expect(technicians.length).toBeGreaterThanOrEqual(13);
		expect(new Set(technicians.map((u) => u.teamName)).size).toBe(2);
		const [{ n }] = (await t.db.select({ n: sql<number>`count(*)::int` }).from(team)) as [{ n: number }];
		expect(n).toBe(2);
		const manager = await findUserByEmail(t.db, 'manager@example.com');
		expect(await t.db.select().from(teamManager).where(eq(teamManager.userId, manager!.id))).toHaveLength(2);
		for (const email of ['technician@example.com', 'trainer@example.com', 'manager@example.com', 'admin@example.com']) {
			expect(await authenticate(t.db, email, DEMO_PASSWORD, '127.0.0.1')).toMatchObject({ ok: true });
		}
	});
});

describe('admin command line', () => {
	it('creates a user with a generated password that signs in', async () => {
		const c = io();
		const code = await runAdminCommand(t.db, ['create-user', '--email', 'Cli@Example.com', '--role', 'technician', '--role', 'manager', '--name', 'Cli User', '--team', 'North service team'], c.io);
		expect(code).toBe(0);
		const password = c.out.join('\n').match(/: (\S+)$/m)![1]!;
		expect(await authenticate(t.db, 'cli@example.com', password, '127.0.0.2')).toMatchObject({ ok: true, roles: ['technician', 'manager'] });
		const row = await findUserByEmail(t.db, 'cli@example.com');
		expect(row!.displayName).toBe('Cli User');
		expect(row!.teamId).not.toBeNull();
	});

	it('creates an invited user and prints a working one-time link', async () => {
		const c = io();
		expect(await runAdminCommand(t.db, ['create-user', '--email', 'inv-cli@example.com', '--role', 'trainer', '--invite'], c.io)).toBe(0);
		const link = c.out.find((l) => l.startsWith('https://sr.example.com/invite/'));
		expect(link).toBeDefined();
		// Valid until a moment in the organisation's zone, named with its offset.
		expect(c.out).toContainEqual(expect.stringMatching(/^One-time invitation link, valid until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} \(Asia\/Shanghai, UTC\+8\):$/));
	});

	it('sets roles and deactivates, ending sessions', async () => {
		const row = await findUserByEmail(t.db, 'cli@example.com');
		const token = auth.generateToken();
		await auth.createSession(t.db, token, row!.id);
		const c = io();
		expect(await runAdminCommand(t.db, ['set-roles', '--email', 'cli@example.com', '--role', 'trainer'], c.io)).toBe(0);
		expect(c.out[0]).toBe('Roles of cli@example.com: technician, manager → trainer.');
		expect(await runAdminCommand(t.db, ['deactivate', '--email', 'cli@example.com'], c.io)).toBe(0);
		expect((await auth.validateSessionToken(t.db, token)).user).toBeNull();
		expect(await runAdminCommand(t.db, ['reactivate', '--email', 'cli@example.com'], c.io)).toBe(0);
		const [again] = await t.db.select().from(user).where(eq(user.id, row!.id));
		expect(again!.active).toBe(true);
	});

	it('reactivating a technician or giving the role back brings the courses their team was given meanwhile', async () => {
		const li = (await findUserByEmail(t.db, 'li.na@example.com'))!;
		const zhang = (await findUserByEmail(t.db, 'zhang.wei@example.com'))!;
		const trainer = (await findUserByEmail(t.db, 'trainer@example.com'))!;
		const c = io();
		expect(await runAdminCommand(t.db, ['deactivate', '--email', 'li.na@example.com'], c.io)).toBe(0);
		expect(await runAdminCommand(t.db, ['set-roles', '--email', 'zhang.wei@example.com', '--role', 'trainer'], c.io)).toBe(0);
		await assignCourse(t.db, { courseSlug: 'home-visit', userIds: [], teamId: li.teamId, dueAt: new Date(Date.now() + 20 * 86_400_000), actorId: trainer.id });
		const held = async (userId: string) => (await t.db.select().from(courseAssignment).where(and(eq(courseAssignment.userId, userId), eq(courseAssignment.courseSlug, 'home-visit')))).length;
		expect([await held(li.id), await held(zhang.id)]).toEqual([0, 0]);
		expect(await runAdminCommand(t.db, ['reactivate', '--email', 'li.na@example.com'], c.io)).toBe(0);
		expect(await runAdminCommand(t.db, ['set-roles', '--email', 'zhang.wei@example.com', '--role', 'technician'], c.io)).toBe(0);
		expect([await held(li.id), await held(zhang.id)]).toEqual([1, 1]);
	});

	it.each([
		[[], /Name a command/],
		[['frobnicate', '--email', 'a@example.com'], /Unknown command "frobnicate"/],
		[['create-user', '--role', 'technician'], /--email is required/],
		[['create-user', '--email', 'not-an-email', '--role', 'technician'], /not a valid email/],
		[['create-user', '--email', 'a@example.com'], /at least one --role/],
		[['create-user', '--email', 'a@example.com', '--role', 'wizard'], /Unknown role "wizard"/],
		[['set-roles', '--email', 'a@example.com'], /at least one --role/],
		[['set-roles', '--email', 'a@example.com', '--none'], /every user keeps at least one role/],
		[['create-team', '--name', 'X'], /needs --name <name> and --region/],
		[['create-team', '--name', 'X', '--region', 'Y', '--email', 'a@example.com'], /takes --name, --region and --time-zone/],
		[['update-team', '--team', 'North service team'], /needs --name, --region or --time-zone/],
		[['archive-team'], /needs --team/],
		[['archive-team', '--team', 'North service team', '--region', 'Z'], /takes only --team/],
		[['add-member', '--team', 'North service team'], /needs --email/],
		[['link-manager', '--team', 'North service team', '--email', 'nope'], /not a valid email/],
		[['add-member', '--team', 'North service team', '--email', 'a@example.com', '--role', 'manager'], /do not belong to the team commands/],
		[['deactivate', '--email', 'a@example.com', '--time-zone', 'UTC'], /belong to the team commands/],
		[['deactivate', '--email', 'a@example.com', '--bogus'], /Unknown option '--bogus'/],
		[['deactivate', '--email', 'a@example.com', '--invite'], /belong to create-user/]
	])('refuses bad arguments %j with exit code 2 and changes nothing', async (argv, message) => {
		const before = (await listUsers(t.db)).length;
		const c = io();
		expect(await runAdminCommand(t.db, argv as string[], c.io)).toBe(2);
		expect(c.err.join('\n')).toMatch(message);
		expect(c.err.join('\n')).toMatch(/Usage: npm run admin/);
		expect((await listUsers(t.db)).length).toBe(before);
	});

	it('manages teams: create with a zone, rename, members, managers, archive and unarchive, each audited', async () => {
		const c = io();
		const run = (argv: string[]) => runAdminCommand(t.db, argv, c.io);
		expect(await run(['create-team', '--name', 'West service team', '--region', 'Chengdu', '--time-zone', 'asia/urumqi'])).toBe(0);
		expect(c.out.at(-1)).toBe('Created team "West service team" (Chengdu), time zone Asia/Urumqi.');
		expect(await run(['update-team', '--team', 'west service team', '--name', 'West team', '--time-zone', ''])).toBe(0);
		expect(c.out.at(-1)).toBe('Team "West team" (Chengdu), time zone the organisation\'s.');
		expect(await run(['add-member', '--team', 'West team', '--email', 'Sam.Ortiz@example.com'])).toBe(0);
		expect(c.out.at(-1)).toBe('sam.ortiz@example.com is now a member of "West team".');
		expect((await findUserByEmail(t.db, 'sam.ortiz@example.com'))!.teamId).toBe((await westTeam()).id);
		expect(await run(['link-manager', '--team', 'West team', '--email', 'south.manager@example.com'])).toBe(0);
		expect(await run(['teams'])).toBe(0);
		expect(c.out.at(-1)).toBe('West team (Chengdu) · Asia/Shanghai, the organisation\'s · 1 member · managers: Hannah Gao');
		expect(await run(['archive-team', '--team', 'West team'])).toBe(0);
		expect(c.out.at(-1)).toBe('Archived "West team": it takes no new members, jobs or course assignments.');
		expect(await run(['add-member', '--team', 'West team', '--email', 'li.na@example.com'])).toBe(1);
		expect(c.err.at(-1)).toMatch(/^Error: This team is archived/);
		// The day it was archived, as a date in the organisation's zone: 22:30 UTC is the next day in Shanghai.
		await t.db.update(team).set({ archivedAt: new Date('2026-03-09T22:30:00Z') }).where(eq(team.id, (await westTeam()).id));
		expect(await run(['teams'])).toBe(0);
		expect(c.out).toContain("West team (Chengdu) · Asia/Shanghai, the organisation's · 1 member · managers: Hannah Gao · archived Mar 10, 2026");
		expect(await run(['unarchive-team', '--team', 'West team'])).toBe(0);
		expect(await run(['remove-member', '--team', 'West team', '--email', 'sam.ortiz@example.com'])).toBe(0);
		expect(await run(['unlink-manager', '--team', 'West team', '--email', 'south.manager@example.com'])).toBe(0);
		const west = await westTeam();
		const audit = await t.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.subjectId, west.id)).orderBy(auditEvent.id);
		expect(audit.map((a) => a.action)).toEqual(['team.created', 'team.changed', 'team.manager_linked', 'team.archived', 'team.unarchived', 'team.manager_unlinked']);
	});

	it('refuses team changes the data does not allow with exit code 1, changing nothing', async () => {
		const c = io();
		const run = (argv: string[]) => runAdminCommand(t.db, argv, c.io);
		const before = await t.db.select().from(auditEvent);
		expect(await run(['create-team', '--name', 'West TEAM', '--region', 'X'])).toBe(1);
		expect(c.err.at(-1)).toBe('Error: A team is already named \u201cWest TEAM\u201d.');
		expect(await run(['create-team', '--name', 'Mars team', '--region', 'X', '--time-zone', 'Mars/Olympus'])).toBe(1);
		expect(c.err.at(-1)).toMatch(/^Error: Unknown time zone/);
		expect(await run(['archive-team', '--team', 'Nowhere'])).toBe(1);
		expect(c.err.at(-1)).toBe('Error: No team is named "Nowhere".');
		expect(await run(['add-member', '--team', 'West team', '--email', 'trainer@example.com'])).toBe(1);
		expect(c.err.at(-1)).toMatch(/^Error: Only technicians can be members/);
		expect(await run(['link-manager', '--team', 'West team', '--email', 'li.na@example.com'])).toBe(1);
		expect(c.err.at(-1)).toMatch(/^Error: Only users with the manager role/);
		expect(await run(['remove-member', '--team', 'West team', '--email', 'li.na@example.com'])).toBe(1);
		expect(await run(['unlink-manager', '--team', 'West team', '--email', 'manager@example.com'])).toBe(1);
		expect(await run(['set-roles', '--email', 'li.na@example.com', '--none'])).toBe(2);
		expect(await t.db.select().from(auditEvent)).toHaveLength(before.length);
		expect((await findUserByEmail(t.db, 'li.na@example.com'))!.teamId).not.toBe((await westTeam()).id);
	});

	it('refuses what the data does not allow with exit code 1', async () => {
		const c = io();
		expect(await runAdminCommand(t.db, ['deactivate', '--email', 'nobody@example.com'], c.io)).toBe(1);
		expect(c.err[0]).toBe('Error: No user has the email nobody@example.com.');
		expect(await runAdminCommand(t.db, ['create-user', '--email', 'admin@example.com', '--role', 'admin'], c.io)).toBe(1);
		expect(await runAdminCommand(t.db, ['create-user', '--email', 'z@example.com', '--role', 'admin', '--team', 'Nowhere'], c.io)).toBe(1);
		expect(c.err.at(-1)).toBe('Error: No team is named "Nowhere".');
	});

	it('the npm script exits 2 with usage on bad arguments, before opening any database', async () => {
		const run = promisify(execFile);
		const failure = await run(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', 'create-user', '--email', 'x'], {
			env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }
		}).catch((e: { code: number; stderr: string }) => e);
		expect(failure).toMatchObject({ code: 2 });
		expect((failure as { stderr: string }).stderr).toMatch(/not a valid email/);
	});
});
