import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, job, organisation, team, teamManager, user } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users';
import { createSession, generateToken, validateSessionToken, type SessionUser } from '../../src/lib/server/auth/session';
import { organisationTimeZone, setOrganisationTimeZone, setPersonalTimeZone, teamTimeZones } from '../../src/lib/server/organisation';
import { createJobType } from '../../src/lib/server/dispatch';
import { ServiceError } from '../../src/lib/server/errors';
import { actions as jobActions, load as jobsLoad } from '../../src/routes/(manager)/manager/jobs/+page.server';
import { actions as orgActions } from '../../src/routes/(admin)/admin/organisation/+page.server';
import { actions as profileActions } from '../../src/routes/(app)/profile/+page.server';

let t: TestDb;
let north: string;
let berlin: string;
let manager: string;
let admin: string;
let tech: string;
let jobTypeId: string;

async function sessionUser(userId: string): Promise<SessionUser> {
	const token = generateToken();
	await createSession(t.db, token, userId);
	return (await validateSessionToken(t.db, token)).user!;
}

/** Posts a form to a route's action as SvelteKit would, signed in as `userId`: the failure's data, or where it redirected. */
async function post(action: (event: never) => unknown, userId: string, fields: Record<string, string>) {
	const body = new URLSearchParams(fields);
	const request = new Request('http://localhost/x', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	const locals = { db: t.db, user: await sessionUser(userId), locale: 'en' as const };
	try {
		const result = await action({ request, locals, params: {}, url: new URL('http://localhost/x') } as never);
		if (isActionFailure(result)) return { status: result.status, data: result.data as unknown as Record<string, unknown> };
		return { status: 200, data: result as Record<string, unknown>, locals };
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, location: e.location };
		throw e;
	}
}

beforeAll(async () => {
	t = await freshDb();
	[north, berlin] = (await t.db.insert(team).values([{ name: 'North', region: 'N' }, { name: 'Berlin', region: 'B', timeZone: 'Europe/Berlin' }]).returning()).map((r) => r.id) as [string, string];
	manager = (await createUser(t.db, { email: 'boss@example.com', displayName: 'Boss', roles: ['manager'] }, null)).id;
	admin = (await createUser(t.db, { email: 'root@example.com', displayName: 'Root', roles: ['admin'] }, null)).id;
	tech = (await createUser(t.db, { email: 'tech@example.com', displayName: 'Tech', roles: ['technician'], teamId: berlin }, null)).id;
	await t.db.insert(teamManager).values([
		{ teamId: north, userId: manager },
		{ teamId: berlin, userId: manager }
	]);
	const created = await createJobType(t.db, manager, { name: 'Visit', productLine: 'water-purifier', requirements: [] });
	if (!created.ok) throw new Error('job type not created');
	jobTypeId = created.value.id;
});
afterAll(() => t.dispose());

describe('zones of the organisation, teams and people', () => {
	it('starts with the organisation in Asia/Shanghai; a team may have its own zone', async () => {
		expect(await organisationTimeZone(t.db)).toBe('Asia/Shanghai');
		expect(Object.fromEntries(await teamTimeZones(t.db, [north, berlin]))).toEqual({ [north]: 'Asia/Shanghai', [berlin]: 'Europe/Berlin' });
		expect(await sessionUser(manager)).toMatchObject({ timeZone: 'Asia/Shanghai', organisationTimeZone: 'Asia/Shanghai', ownTimeZone: null });
		// A person without a zone of their own sees their team's.
		expect(await sessionUser(tech)).toMatchObject({ timeZone: 'Europe/Berlin', organisationTimeZone: 'Asia/Shanghai' });
	});

	it('lets a person choose a display zone on the profile, or automatic, audited; a wrong name changes nothing', async () => {
		const saved = await post(profileActions.profile, manager, { displayName: 'Boss', locale: 'en', timeZone: 'america/new_york' });
		expect(saved.status).toBe(200);
		expect(saved.locals?.user).toMatchObject({ timeZone: 'America/New_York', ownTimeZone: 'America/New_York' });
		expect(await sessionUser(manager)).toMatchObject({ timeZone: 'America/New_York', organisationTimeZone: 'Asia/Shanghai' });
		const [entry] = await t.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'user.time_zone_changed'), eq(auditEvent.subjectId, manager)));
		expect(entry).toMatchObject({ actorId: manager, detail: { before: null, after: 'America/New_York' } });

		const refused = await post(profileActions.profile, manager, { displayName: 'Someone else', locale: 'zh-CN', timeZone: 'Mars/Olympus' });
		expect(refused.status).toBe(400);
		expect((refused.data!.errors as Record<string, string>).timeZone).toMatch(/time zone/);
		const [row] = await t.db.select({ name: user.displayName, locale: user.locale, zone: user.timeZone }).from(user).where(eq(user.id, manager));
		expect(row).toEqual({ name: 'Boss', locale: 'en', zone: 'America/New_York' });

		// Left out: unchanged. Empty: automatic again.
		await post(profileActions.profile, manager, { displayName: 'Boss', locale: 'en' });
		expect((await sessionUser(manager)).ownTimeZone).toBe('America/New_York');
		await post(profileActions.profile, manager, { displayName: 'Boss', locale: 'en', timeZone: '' });
		expect(await sessionUser(manager)).toMatchObject({ timeZone: 'Asia/Shanghai', ownTimeZone: null });
	});

	it('lets an admin set the organisation zone, audited with before and after; teams without a zone follow it', async () => {
		const refused = await post(orgActions.zone, admin, { timeZone: 'UTC+8' });
		expect(refused.status).toBe(400);
		expect(await organisationTimeZone(t.db)).toBe('Asia/Shanghai');

		const saved = await post(orgActions.zone, admin, { timeZone: 'America/New_York' });
		expect(saved.data).toEqual({ saved: "The organisation's time zone is now America/New_York." });
		expect(Object.fromEntries(await teamTimeZones(t.db, [north, berlin]))).toEqual({ [north]: 'America/New_York', [berlin]: 'Europe/Berlin' });
		expect(await sessionUser(manager)).toMatchObject({ timeZone: 'America/New_York', organisationTimeZone: 'America/New_York' });
		const [entry] = await t.db.select().from(auditEvent).where(eq(auditEvent.action, 'organisation.time_zone_changed'));
		expect(entry).toMatchObject({ actorId: admin, subjectType: 'organisation', subjectId: '1', detail: { before: 'Asia/Shanghai', after: 'America/New_York' } });

		const again = await setOrganisationTimeZone(t.db, admin, 'America/New_York');
		expect(again.changed).toBe(false);
		await expect(setPersonalTimeZone(t.db, tech, 'Not/AZone')).rejects.toBeInstanceOf(ServiceError);
		await setOrganisationTimeZone(t.db, admin, 'Asia/Shanghai');
		expect((await t.db.select().from(organisation))[0]!.timeZone).toBe('Asia/Shanghai');
	});
});

describe('jobs in the team’s local time', () => {
	const form = (teamId: string, scheduledAt: string) => ({ jobTypeId, teamId, siteLabel: `Site ${teamId.slice(0, 4)} ${scheduledAt}`, scheduledAt, durationMinutes: '60' });
	const stored = async (site: string) => (await t.db.select({ at: job.scheduledAt }).from(job).where(eq(job.siteLabel, site)))[0]?.at.toISOString();

	it('reads the time typed as the wall clock of the job’s team', async () => {
		const beijing = form(north, '2027-01-15T09:00');
		expect((await post(jobActions.create, manager, beijing)).status).toBe(303);
		expect(await stored(beijing.siteLabel)).toBe('2027-01-15T01:00:00.000Z');

		const summer = form(berlin, '2027-07-15T09:00');
		expect((await post(jobActions.create, manager, summer)).status).toBe(303);
		expect(await stored(summer.siteLabel)).toBe('2027-07-15T07:00:00.000Z');
	});

	it('refuses a time the clocks skip, naming the zone and a time that exists; takes the first of a repeated hour', async () => {
		const gap = form(berlin, '2027-03-28T02:30');
		const refused = await post(jobActions.create, manager, gap);
		expect(refused.status).toBe(400);
		expect((refused.data!.errors as Record<string, string>).scheduledAt).toBe(
			'2027-03-28 02:30 does not exist in Europe/Berlin: the clocks move forward then. Choose another time, for example 2027-03-28 03:30.'
		);
		expect(await stored(gap.siteLabel)).toBeUndefined();

		const twice = form(berlin, '2027-10-31T02:30');
		expect((await post(jobActions.create, manager, twice)).status).toBe(303);
		expect(await stored(twice.siteLabel)).toBe('2027-10-31T00:30:00.000Z');
	});

	it('keeps the messages for a missing, impossible or past time', async () => {
		const errorOf = async (value: string) => ((await post(jobActions.create, manager, form(north, value))).data!.errors as Record<string, string>).scheduledAt;
		expect(await errorOf('')).toBe('Enter the date and time of the job.');
		expect(await errorOf('2027-02-30T09:00')).toBe('Enter a real date and time.');
		expect(await errorOf('2020-01-01T09:00')).toMatch(/has passed/);
	});

	it('lists each job with its team’s zone and offers the teams with theirs', async () => {
		const data = (await jobsLoad({ locals: { db: t.db, user: await sessionUser(manager), locale: 'en' }, url: new URL('http://localhost/manager/jobs') } as never)) as {
			jobs: Array<{ siteLabel: string; teamTimeZone: string }>;
			teams: Array<{ name: string; timeZone: string }>;
		};
		expect(data.teams.map((x) => [x.name, x.timeZone])).toEqual([
			['Berlin', 'Europe/Berlin'],
			['North', 'Asia/Shanghai']
		]);
		expect(new Set(data.jobs.map((j) => j.teamTimeZone))).toEqual(new Set(['Asia/Shanghai', 'Europe/Berlin']));
	});
});
