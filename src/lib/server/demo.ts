import { eq, inArray } from 'drizzle-orm';
import type { Db } from './db';
import { team, teamManager, user } from './db/schema';
import { createUser } from './users';
import type { Role } from './auth/roles';
import { seedDemoDispatch } from './demo-dispatch';
import { assignCourse, redatePersonAssignment } from './learning/assignments';
import { parseDueDate } from './learning/due-date';
import { organisationTimeZone } from './organisation';
import { calendarDay } from '../zoned-time';

export const DEMO_PASSWORD = 'demo-pass-2026';

interface DemoPerson {
	email: string;
	displayName: string;
	roles: Role[];
	team?: 'north' | 'south';
	/** The teams this person leads as a manager. */
	leads?: Array<'north' | 'south'>;
	locale?: 'en' | 'zh-CN';
}

const TEAMS = {
	north: { name: 'North service team', region: 'Beijing & Tianjin' },
	south: { name: 'South service team', region: 'Guangzhou & Shenzhen' }
} as const;

/** The four role logins first (these are printed at start), then the wider organisation. */
export const DEMO_PEOPLE: DemoPerson[] = [
	{ email: 'technician@example.com', displayName: 'Tom Chen', roles: ['technician'], team: 'north' },
	{ email: 'trainer@example.com', displayName: 'Grace Lin', roles: ['trainer'] },
	{ email: 'manager@example.com', displayName: 'Marcus Wang', roles: ['manager'], leads: ['north', 'south'] },
	{ email: 'admin@example.com', displayName: 'Ada Zhou', roles: ['admin'] },
	{ email: 'li.na@example.com', displayName: '李娜', roles: ['technician'], team: 'north', locale: 'zh-CN' },
	{ email: 'zhang.wei@example.com', displayName: '张伟', roles: ['technician'], team: 'north', locale: 'zh-CN' },
	{ email: 'wang.fang@example.com', displayName: '王芳', roles: ['technician'], team: 'north', locale: 'zh-CN' },
	{ email: 'liu.yang@example.com', displayName: '刘洋', roles: ['technician'], team: 'north', locale: 'zh-CN' },
	{ email: 'sam.ortiz@example.com', displayName: 'Sam Ortiz', roles: ['technician'], team: 'north' },
	{ email: 'priya.nair@example.com', displayName: 'Priya Nair', roles: ['technician'], team: 'north' },
	{ email: 'chen.jie@example.com', displayName: '陈杰', roles: ['technician'], team: 'south', locale: 'zh-CN' },
	{ email: 'huang.min@example.com', displayName: '黄敏', roles: ['technician'], team: 'south', locale: 'zh-CN' },
	{ email: 'zhao.lei@example.com', displayName: '赵磊', roles: ['technician'], team: 'south', locale: 'zh-CN' },
	{ email: 'wu.xia@example.com', displayName: '吴霞', roles: ['technician'], team: 'south', locale: 'zh-CN' },
	{ email: 'lucas.meyer@example.com', displayName: 'Lucas Meyer', roles: ['technician'], team: 'south' },
	{ email: 'amy.tran@example.com', displayName: 'Amy Tran', roles: ['technician', 'trainer'], team: 'south' },
	// Leads only the South team: sees none of the North team's people or jobs.
	{ email: 'south.manager@example.com', displayName: 'Hannah Gao', roles: ['manager'], leads: ['south'] }
];

export const DEMO_LOGINS = DEMO_PEOPLE.slice(0, 4);

export async function hasDemoData(db: Db): Promise<boolean> {
	const [row] = await db.select({ id: user.id }).from(user).where(eq(user.email, DEMO_LOGINS[0]!.email));
	return Boolean(row);
}

/** Loads the demo organisation once; a second call changes nothing. */
export async function seedDemo(db: Db): Promise<{ created: boolean }> {
	if (await hasDemoData(db)) return { created: false };
	const teams = await db
		.insert(team)
		.values(Object.values(TEAMS))
		.onConflictDoNothing()
		.returning();
	const teamRows = await db.select().from(team).where(inArray(team.name, Object.values(TEAMS).map((t) => t.name)));
	const teamId = (key: 'north' | 'south') => teamRows.find((t) => t.name === TEAMS[key].name)?.id ?? null;
	const created: Record<string, string> = {};
	for (const person of DEMO_PEOPLE) {
		const row = await createUser(
			db,
			{
				email: person.email,
				displayName: person.displayName,
				roles: person.roles,
				teamId: person.team ? teamId(person.team) : null,
				locale: person.locale ?? 'en',
				password: DEMO_PASSWORD
			},
			null
		);
		created[person.email] = row.id;
	}
	const leaders = DEMO_PEOPLE.flatMap((p) => (p.leads ?? []).map((key) => ({ teamId: teamId(key), userId: created[p.email] })));
	const leads = leaders.filter((l): l is { teamId: string; userId: string } => Boolean(l.teamId && l.userId));
	if (leads.length && teams.length) await db.insert(teamManager).values(leads).onConflictDoNothing();
	const north = teamId('north');
	const south = teamId('south');
	if (north && south) await seedDemoDispatch(db, created, { north, south });
	if (north) await seedDemoAssignments(db, created, north);
	return { created: true };
}

/** The end of the calendar day `days` from today (UTC), as a typed due date means. */
/** The end of the calendar day `days` from now in the organisation's zone: a due date as a trainer types it. */
function dueIn(days: number, timeZone: string, now = new Date()) {
	return parseDueDate(calendarDay(new Date(now.getTime() + days * 86_400_000), timeZone), timeZone)!;
}

/**
 * The North team has the complaints course due in three weeks (whoever joins the team gets it too);
 * Sam Ortiz was given two more weeks on his own, a date the team's date does not overwrite.
 */
async function seedDemoAssignments(db: Db, created: Record<string, string>, north: string) {
	const trainer = created['trainer@example.com'] ?? null;
	const zone = await organisationTimeZone(db);
	await assignCourse(db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: dueIn(21, zone), actorId: trainer });
	const sam = created['sam.ortiz@example.com'];
	if (sam) await redatePersonAssignment(db, { courseSlug: 'complaints', userId: sam, dueAt: dueIn(35, zone), actorId: trainer });
}

export function formatDemoLogins(baseUrl: string): string {
	const lines = DEMO_LOGINS.map((p) => `  ${p.roles[0]!.padEnd(11)} ${p.email.padEnd(24)} ${DEMO_PASSWORD}`);
	const rest = DEMO_PEOPLE.slice(4);
	const technicians = rest.filter((p) => p.roles.includes('technician')).length;
	const managers = rest.filter((p) => p.roles.includes('manager')).map((p) => `${p.email} (manager of ${(p.leads ?? []).map((k) => TEAMS[k].name).join(' and ') || 'no team'})`);
	return [
		`Demo logins at ${baseUrl}/login (role, email, password):`,
		...lines,
		`  … and ${technicians} more technicians in two teams${managers.map((m) => `, ${m}`).join('')} (same password).`
	].join('\n');
}
