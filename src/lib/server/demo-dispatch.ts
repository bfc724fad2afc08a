import { inArray } from 'drizzle-orm';
import type { Db } from './db';
import { certificationHolding, job, jobType, jobTypeRequirement, user } from './db/schema';
import { generateToken } from './auth/session';
import { expiresAt } from './certification/lifecycle';
import { organisationTimeZone } from './organisation';
import { calendarDay, wallClockToInstant } from '../zoned-time';

const DAY = 86_400_000;

interface DemoCycle {
	cert: string;
	level: number;
	/** Days from now the cycle was granted (negative: in the past). */
	granted: number;
	/** Validity in days (the certification's own validity unless a state needs otherwise). */
	validity?: number;
	revoked?: { daysAgo: number; reason: string };
	/** Index in this person's list of the cycle this one renewed. */
	renews?: number;
	/** Dated so that it expires an hour into the kindergarten repair visit (instead of `granted`). */
	expiresDuringVisit?: true;
}

/**
 * Demo technicians in every state a dispatcher meets: fully certified, renewal due, expired,
 * revoked, missing, a level below what a job needs, and expiring before next week's job. Tom Chen
 * (the technician login) starts with nothing so that earning a certification can be tried.
 */
export const DEMO_CYCLES: Record<string, DemoCycle[]> = {
	'li.na@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -400 },
		{ cert: 'home-visit-service', level: 2, granted: -50, renews: 0 },
		{ cert: 'complaint-handling', level: 2, granted: -120 },
		{ cert: 'customer-care', level: 1, granted: -200 },
		{ cert: 'ro-purifier-service', level: 1, granted: -90 }
	],
	'zhang.wei@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -100 },
		// Renewal window (60 days) open: expires in 20 days.
		{ cert: 'ro-purifier-service', level: 1, granted: -345 }
	],
	'wang.fang@example.com': [
		{ cert: 'home-visit-service', level: 1, granted: -60 },
		// Expired ten days ago.
		{ cert: 'ro-purifier-service', level: 1, granted: -375 }
	],
	'liu.yang@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -150, revoked: { daysAgo: 5, reason: 'Complaint upheld: the site was left unclean after the repair' } },
		{ cert: 'ro-purifier-service', level: 1, granted: -30 }
	],
	'sam.ortiz@example.com': [{ cert: 'customer-care', level: 1, granted: -20 }],
	'priya.nair@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -50 },
		// Valid today, but expires in three days, an hour into the kindergarten repair visit.
		{ cert: 'ro-purifier-service', level: 1, granted: -362, expiresDuringVisit: true }
	],
	'chen.jie@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -80 },
		{ cert: 'complaint-handling', level: 2, granted: -80 },
		{ cert: 'ro-purifier-service', level: 1, granted: -80 },
		{ cert: 'customer-care', level: 1, granted: -80 }
	],
	'huang.min@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -40 },
		{ cert: 'complaint-handling', level: 1, granted: -40 }
	],
	'zhao.lei@example.com': [
		{ cert: 'home-visit-service', level: 1, granted: -200 },
		{ cert: 'complaint-handling', level: 2, granted: -380 }
	],
	'wu.xia@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -320 },
		{ cert: 'complaint-handling', level: 2, granted: -10 }
	],
	'lucas.meyer@example.com': [{ cert: 'ro-purifier-service', level: 1, granted: -15 }],
	'amy.tran@example.com': [
		{ cert: 'home-visit-service', level: 2, granted: -60 },
		{ cert: 'complaint-handling', level: 2, granted: -60 }
	]
};

const VALIDITY: Record<string, number> = { 'home-visit-service': 365, 'complaint-handling': 365, 'customer-care': 730, 'ro-purifier-service': 365 };

export const DEMO_JOB_TYPES = [
	{ name: 'RO purifier installation', productLine: 'water-purifier', requirements: [{ certificationId: 'ro-purifier-service', minLevel: 1 }, { certificationId: 'home-visit-service', minLevel: 1 }] },
	{ name: 'RO purifier repair visit', productLine: 'water-purifier', requirements: [{ certificationId: 'ro-purifier-service', minLevel: 1 }, { certificationId: 'home-visit-service', minLevel: 2 }] },
	{ name: 'Complaint follow-up visit', productLine: 'general', requirements: [{ certificationId: 'complaint-handling', minLevel: 2 }, { certificationId: 'home-visit-service', minLevel: 1 }] },
	{ name: 'Customer care call', productLine: 'general', requirements: [{ certificationId: 'customer-care', minLevel: 1 }] }
];

/** The grant time of a cycle of `validityDays` that expires at `expires` (the inverse of `expiresAt`). */
function grantedFor(expires: Date, validityDays: number): Date {
	const date = new Date(expires.getTime());
	date.setUTCDate(date.getUTCDate() - validityDays);
	return date;
}

/**
 * Certification cycles, job types and a week of jobs for the demo organisation. Cycles are dated
 * relative to `now` so every state stays visible whenever the demo is loaded.
 */
export async function seedDemoDispatch(db: Db, people: Record<string, string>, teams: { north: string; south: string }, now = new Date()) {
	const trainer = people['trainer@example.com'] ?? null;
	const manager = people['manager@example.com'] ?? null;
	const at = (days: number) => new Date(now.getTime() + days * DAY);
	// Jobs are at sensible local times of the teams (the organisation's zone: the demo teams have none).
	const zone = await organisationTimeZone(db);
	const local = (days: number, time: string) => wallClockToInstant(`${calendarDay(at(days), zone)}T${time}`, zone)!.instant;
	const visit = local(3, '10:00');
	for (const [email, cycles] of Object.entries(DEMO_CYCLES)) {
		const userId = people[email];
		if (!userId) continue;
		const ids: string[] = [];
		for (const cycle of cycles) {
			const grantedAt = cycle.expiresDuringVisit ? grantedFor(new Date(visit.getTime() + 3_600_000), cycle.validity ?? VALIDITY[cycle.cert]!) : at(cycle.granted);
			const [row] = await db
				.insert(certificationHolding)
				.values({
					userId,
					certificationId: cycle.cert,
					level: cycle.level,
					grantedAt,
					expiresAt: cycle.renews !== undefined ? expiresAt(at(cycles[cycle.renews]!.granted), 2 * (cycle.validity ?? VALIDITY[cycle.cert]!)) : expiresAt(grantedAt, cycle.validity ?? VALIDITY[cycle.cert]!),
					revokedAt: cycle.revoked ? at(-cycle.revoked.daysAgo) : null,
					revokeReason: cycle.revoked?.reason ?? null,
					revokedBy: cycle.revoked ? trainer : null,
					renewedFromId: cycle.renews !== undefined ? ids[cycle.renews]! : null,
					grantedBy: trainer,
					evidence: [{ kind: 'manual', text: 'Demo organisation: recorded by the training team.' }],
					verifyCode: generateToken().slice(0, 16)
				})
				.returning({ id: certificationHolding.id });
			ids.push(row!.id);
		}
	}
	const types = await db
		.insert(jobType)
		.values(DEMO_JOB_TYPES.map((t) => ({ name: t.name, productLine: t.productLine, createdBy: manager })))
		.onConflictDoNothing()
		.returning({ id: jobType.id, name: jobType.name });
	const typeId = (name: string) => types.find((t) => t.name === name)?.id;
	const requirements = DEMO_JOB_TYPES.flatMap((t) => (typeId(t.name) ? t.requirements.map((r) => ({ jobTypeId: typeId(t.name)!, ...r })) : []));
	if (requirements.length) await db.insert(jobTypeRequirement).values(requirements);
	const emails = Object.keys(people);
	const ids = await db.select({ id: user.id, email: user.email }).from(user).where(inArray(user.email, emails));
	const who = (email: string) => ids.find((r) => r.email === email)?.id ?? null;
	const jobs = [
		{ type: 'RO purifier installation', team: teams.north, site: 'Mrs Zhou, 8 Garden Road, Chaoyang', when: local(1, '09:00'), minutes: 90, assignee: 'li.na@example.com' },
		{ type: 'RO purifier repair visit', team: teams.north, site: 'Mr Han, Lakeside Apartments 3-1202', when: local(2, '11:00'), minutes: 60, assignee: null },
		{ type: 'Complaint follow-up visit', team: teams.south, site: 'Ms Luo, Tianhe North Road 55', when: local(3, '14:00'), minutes: 45, assignee: 'chen.jie@example.com' },
		// Starts an hour before Priya Nair's RO certification expires: "expires before the job".
		{ type: 'RO purifier repair visit', team: teams.north, site: 'Beijing Bright Kindergarten', when: visit, minutes: 180, assignee: null },
		{ type: 'Customer care call', team: teams.south, site: 'Mr Xu (phone follow-up)', when: local(4, '15:00'), minutes: 30, assignee: null }
	];
	for (const j of jobs) {
		const id = typeId(j.type);
		if (!id) continue;
		const assignee = j.assignee ? who(j.assignee) : null;
		await db.insert(job).values({
			jobTypeId: id,
			teamId: j.team,
			siteLabel: j.site,
			scheduledAt: j.when,
			durationMinutes: j.minutes,
			assigneeId: assignee,
			assignedAt: assignee ? now : null,
			assignedBy: assignee ? manager : null,
			createdBy: manager
		});
	}
}
