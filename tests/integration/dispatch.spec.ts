import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, certificationHolding, job, team, teamManager } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users';
import { evaluateEligibility } from '../../src/lib/server/certification/eligibility';
import {
	assignJob,
	cancelJob,
	createAndAssignJob,
	editJob,
	createJob,
	createJobType,
	archiveJobType,
	eligibilityOf,
	eligibleTechnicians,
	findJobType,
	listTechnicians,
	updateJobType,
	type DispatchActor,
	type JobTypeView
} from '../../src/lib/server/dispatch';

let t: TestDb;
let north: string;
let south: string;
let manager: string;
let ro: JobTypeView;
const techs: Record<string, string> = {};
const DAY = 86_400_000;
const NOW = new Date('2026-06-01T09:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

async function hold(userId: string, certificationId: string, level: number, from: Date, to: Date, revokedAt: Date | null = null, revokeReason: string | null = null) {
	await t.db.insert(certificationHolding).values({
		userId,
		certificationId,
		level,
		grantedAt: from,
		expiresAt: to,
		revokedAt,
		revokeReason,
		verifyCode: Math.random().toString(36).slice(2, 18).padEnd(16, 'x')
	});
}

beforeAll(async () => {
	t = await freshDb();
	[north, south] = (await t.db.insert(team).values([{ name: 'North', region: 'N' }, { name: 'South', region: 'S' }]).returning()).map((r) => r.id) as [string, string];
	manager = (await createUser(t.db, { email: 'boss@example.com', displayName: 'Boss', roles: ['manager'] }, null)).id;
	await t.db.insert(teamManager).values({ teamId: north, userId: manager });
	for (const [key, teamId] of [['ok', north], ['expired', north], ['revoked', north], ['low', north], ['missing', north], ['soon', north], ['far', south]] as const) {
		techs[key] = (await createUser(t.db, { email: `${key}@example.com`, displayName: key, roles: ['technician'], teamId }, null)).id;
	}
	for (const key of ['ok', 'expired', 'revoked', 'low', 'soon', 'far']) await hold(techs[key]!, 'ro-purifier-service', 1, days(-100), days(200));
	await hold(techs.ok!, 'home-visit-service', 2, days(-10), days(300));
	await hold(techs.far!, 'home-visit-service', 2, days(-10), days(300));
	await hold(techs.expired!, 'home-visit-service', 2, days(-400), days(-35));
	await hold(techs.revoked!, 'home-visit-service', 2, days(-10), days(300), days(-2), 'Customer complaint upheld');
	await hold(techs.low!, 'home-visit-service', 1, days(-10), days(300));
	await hold(techs.soon!, 'home-visit-service', 2, days(-300), new Date(NOW.getTime() + 30 * 60_000));
	const created = await createJobType(t.db, manager, {
		name: 'RO installation',
		productLine: 'water-purifier',
		requirements: [
			{ certificationId: 'ro-purifier-service', minLevel: 1 },
			{ certificationId: 'home-visit-service', minLevel: 2 }
		]
	});
	if (!created.ok) throw new Error('job type not created');
	ro = (await findJobType(t.db, created.value.id))!;
});
afterAll(() => t.dispose());

describe('job types', () => {
	it('keeps the requirements and refuses a taken name or unknown certifications, changing nothing', async () => {
		expect(ro.requirements).toEqual([
			{ certificationId: 'home-visit-service', minLevel: 2 },
			{ certificationId: 'ro-purifier-service', minLevel: 1 }
		]);
		expect(await createJobType(t.db, manager, { name: 'RO installation', productLine: 'general', requirements: [] })).toEqual({ ok: false, problems: { name: 'taken' } });
		expect(await createJobType(t.db, manager, { name: 'Other', productLine: 'general', requirements: [{ certificationId: 'made-up', minLevel: 1 }] })).toEqual({
			ok: false,
			problems: { 'requirements.made-up': 'unknown-certification' }
		});
		expect(await updateJobType(t.db, manager, ro.id, { name: 'RO installation', productLine: 'water-purifier', requirements: [{ certificationId: 'ro-purifier-service', minLevel: 3 }] })).toEqual({
			ok: false,
			problems: { 'requirements.ro-purifier-service': 'level-out-of-range' }
		});
		expect((await findJobType(t.db, ro.id))!.requirements).toEqual(ro.requirements);
	});
});

describe('eligibility', () => {
	it('gives each technician a reason per unmet requirement, at the job time and for its duration', async () => {
		const all = await listTechnicians(t.db, { teamIds: 'all' });
		const result = await eligibilityOf(t.db, ro, all, NOW, new Date(NOW.getTime() + 60 * 60_000));
		const by = Object.fromEntries(result.map((r) => [r.name, r.reasons.map((x) => x.code)]));
		expect(by).toEqual({
			ok: [],
			far: [],
			expired: ['expired'],
			revoked: ['revoked'],
			low: ['level-too-low'],
			missing: ['missing', 'missing'],
			soon: ['expires-before-job']
		});
	});

	it('pages eligible technicians with SQL that agrees with the rule at many instants', async () => {
		const all = await listTechnicians(t.db, { teamIds: 'all' });
		const holdings = await t.db.select().from(certificationHolding);
		for (const offset of [-500, -101, -100, -36, -35, -10, -3, -2, 0, 0.02, 1, 199, 200, 250, 300, 301]) {
			const at = days(offset);
			for (const end of [undefined, new Date(at.getTime() + 2 * 60 * 60_000)]) {
				const expected = all
					.filter((tech) => evaluateEligibility(ro.requirements, holdings.filter((h) => h.userId === tech.technicianId), at, end).eligible)
					.map((x) => x.technicianId)
					.sort();
				const got: string[] = [];
				let after: string | undefined;
				for (;;) {
					const page = await eligibleTechnicians(t.db, { type: ro, at, end, limit: 1, after });
					got.push(...page.items.map((i) => i.technicianId));
					if (!page.next) break;
					after = page.next;
				}
				expect(got, `at ${at.toISOString()} end ${end?.toISOString()}`).toEqual(expected);
			}
		}
	});

	it('limits to teams when asked', async () => {
		const page = await eligibleTechnicians(t.db, { type: ro, at: NOW, teamIds: [south], limit: 10 });
		expect(page.items.map((i) => i.name)).toEqual(['far']);
		expect((await eligibleTechnicians(t.db, { type: ro, at: NOW, teamIds: [], limit: 10 })).items).toEqual([]);
	});
});

describe('assignment', () => {
	const asManager = (): DispatchActor => ({ kind: 'user', userId: manager, teamIds: [north] });

	it('assigns an eligible technician, refuses an ineligible one with reasons, and records an override with its reason', async () => {
		const created = await createJob(t.db, asManager(), { jobTypeId: ro.id, teamId: north, siteLabel: 'Mrs Li, Chaoyang', scheduledAt: days(1), durationMinutes: 90 });
		if (!created.ok) throw new Error(created.refusal.message);
		const jobId = created.value.id;

		const refused = await assignJob(t.db, asManager(), { jobId, technicianId: techs.expired! });
		expect(refused.ok).toBe(false);
		if (!refused.ok) {
			expect(refused.refusal.code).toBe('not-eligible');
			expect(refused.refusal.code === 'not-eligible' && refused.refusal.reasons.map((r) => r.code)).toEqual(['expired']);
		}
		const [untouched] = await t.db.select().from(job).where(eq(job.id, jobId));
		expect(untouched!.assigneeId).toBeNull();
		expect((await assignJob(t.db, asManager(), { jobId, technicianId: techs.expired!, overrideReason: '   ' })).ok).toBe(false);

		const overridden = await assignJob(t.db, asManager(), { jobId, technicianId: techs.expired!, overrideReason: ' Only technician near the site; renewal exam booked. ' });
		expect(overridden.ok && overridden.value.overridden).toBe(true);
		const [row] = await t.db.select().from(job).where(eq(job.id, jobId));
		expect(row).toMatchObject({ assigneeId: techs.expired, overrideReason: 'Only technician near the site; renewal exam booked.', assignedBy: manager });
		const audit = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, jobId));
		const entry = audit.find((a) => a.action === 'job.assigned_override')!;
		expect(entry.actorId).toBe(manager);
		expect(entry.detail).toMatchObject({ overrideReason: 'Only technician near the site; renewal exam booked.', technicianId: techs.expired });
		expect((entry.detail.reasons as Array<{ message: string }>)[0]!.message).toMatch(/ expired on 2026-04-27\.$/);

		const fine = await assignJob(t.db, asManager(), { jobId, technicianId: techs.ok!, overrideReason: 'ignored when eligible' });
		expect(fine.ok && fine.value.overridden).toBe(false);
		const [after] = await t.db.select().from(job).where(eq(job.id, jobId));
		expect(after).toMatchObject({ assigneeId: techs.ok, overrideReason: null });
		// The reassignment names the technician it replaced.
		const trail = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, jobId));
		const reassigned = trail.find((a) => a.action === 'job.assigned' && (a.detail as { technicianId?: string }).technicianId === techs.ok)!;
		expect(reassigned.detail).toMatchObject({ replacedTechnicianId: techs.expired, replaced: expect.any(String) });
	});

	it('keeps a manager to the teams they lead: other teams\' technicians and jobs are refused', async () => {
		const created = await createJob(t.db, asManager(), { jobTypeId: ro.id, teamId: north, siteLabel: 'Site', scheduledAt: days(2), durationMinutes: 60 });
		if (!created.ok) throw new Error('not created');
		const outside = await assignJob(t.db, asManager(), { jobId: created.value.id, technicianId: techs.far! });
		expect(!outside.ok && outside.refusal.code).toBe('outside-teams');
		expect(await createJob(t.db, asManager(), { jobTypeId: ro.id, teamId: south, siteLabel: 'Site', scheduledAt: days(2), durationMinutes: 60 })).toMatchObject({ ok: false, refusal: { code: 'outside-teams' } });
		const southJob = await createJob(t.db, { kind: 'token', tokenName: 'dispatch' }, { jobTypeId: ro.id, teamId: south, siteLabel: 'Site', scheduledAt: days(2), durationMinutes: 60 });
		if (!southJob.ok) throw new Error('not created');
		expect(await assignJob(t.db, asManager(), { jobId: southJob.value.id, technicianId: techs.ok! })).toMatchObject({ ok: false, refusal: { code: 'unknown-job' } });
	});

	it('creates and assigns in one step, creating nothing when refused', async () => {
		const token: DispatchActor = { kind: 'token', tokenName: 'dispatch' };
		const before = (await t.db.select().from(job)).length;
		const refused = await createAndAssignJob(t.db, token, { jobTypeId: ro.id, siteLabel: 'Mr Wu', scheduledAt: days(3), durationMinutes: 60, technicianId: techs.low! });
		expect(!refused.ok && refused.refusal.code).toBe('not-eligible');
		expect((await t.db.select().from(job)).length).toBe(before);
		for (const bad of [
			{ jobTypeId: '00000000-0000-0000-0000-000000000000', code: 'unknown-job-type' },
			{ technicianId: manager, code: 'unknown-technician' },
			{ technicianId: 'not-a-uuid', code: 'unknown-technician' },
			{ durationMinutes: 0, code: 'invalid' },
			{ siteLabel: ' ', code: 'invalid' },
			{ scheduledAt: new Date('nope'), code: 'invalid' },
			{ teamId: 'not-a-team', code: 'unknown-team' },
			{ teamId: '00000000-0000-0000-0000-000000000000', code: 'unknown-team' }
		]) {
			const { code, ...patch } = bad;
			const r = await createAndAssignJob(t.db, token, { jobTypeId: ro.id, siteLabel: 'Mr Wu', scheduledAt: days(3), durationMinutes: 60, technicianId: techs.ok!, ...patch });
			expect(!r.ok && r.refusal.code, JSON.stringify(patch)).toBe(code);
		}
		expect((await t.db.select().from(job)).length).toBe(before);
		const done = await createAndAssignJob(t.db, token, { jobTypeId: ro.id, siteLabel: 'Mr Wu', scheduledAt: days(3), durationMinutes: 60, technicianId: techs.far! });
		expect(done.ok && done.value.job).toMatchObject({ teamId: south, assigneeId: techs.far, createdByToken: 'dispatch' });
	});

	it('gives a job to a technician of its own team; another team\'s only with a reason, which is audited', async () => {
		const token: DispatchActor = { kind: 'token', tokenName: 'dispatch' };
		const southJob = await createJob(t.db, token, { jobTypeId: ro.id, teamId: south, siteLabel: 'Other team', scheduledAt: days(2), durationMinutes: 60 });
		if (!southJob.ok) throw new Error('job not created');
		// techs.ok is in the north team, the job in the south team.
		const refused = await assignJob(t.db, token, { jobId: southJob.value.id, technicianId: techs.ok! });
		expect(refused).toMatchObject({ ok: false, refusal: { code: 'other-team', jobTeam: south } });
		expect((await t.db.select().from(job).where(eq(job.id, southJob.value.id)))[0]!.assigneeId).toBeNull();
		const withReason = await assignJob(t.db, token, { jobId: southJob.value.id, technicianId: techs.ok!, overrideReason: 'South team is short this week; agreed with both managers.' });
		expect(withReason.ok).toBe(true);
		const audit = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, southJob.value.id));
		expect(audit.find((a) => a.action === 'job.assigned_override')!.detail).toMatchObject({ otherTeam: true, jobTeamId: south, overrideReason: 'South team is short this week; agreed with both managers.' });
		// Created and assigned in one step for another team: refused, nothing created.
		const before = (await t.db.select().from(job)).length;
		const oneStep = await createAndAssignJob(t.db, token, { jobTypeId: ro.id, teamId: south, siteLabel: 'Mr Wu', scheduledAt: days(3), durationMinutes: 60, technicianId: techs.ok! });
		expect(!oneStep.ok && oneStep.refusal.code).toBe('other-team');
		expect((await t.db.select().from(job)).length).toBe(before);
	});
});

describe('editing and cancelling a job', () => {
	const asManager = (): DispatchActor => ({ kind: 'user', userId: manager, teamIds: [north] });
	const rowOf = async (id: string) => (await t.db.select().from(job).where(eq(job.id, id)))[0]!;
	const auditOfJob = async (id: string) => t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id));

	it('checks the technician again at the new time: refused with the reasons, changing nothing, unless an override is given, which is audited', async () => {
		const created = await createJob(t.db, asManager(), { jobTypeId: ro.id, teamId: north, siteLabel: 'Mr Zhao', scheduledAt: days(4), durationMinutes: 60 });
		if (!created.ok) throw new Error(created.refusal.message);
		const jobId = created.value.id;
		expect((await assignJob(t.db, asManager(), { jobId, technicianId: techs.ok! })).ok).toBe(true);
		const before = await rowOf(jobId);
		const trail = (await auditOfJob(jobId)).length;

		// techs.ok's RO certification ends at day 200.
		const refused = await editJob(t.db, asManager(), jobId, { scheduledAt: days(250) }, NOW);
		expect(refused).toMatchObject({ ok: false, refusal: { code: 'not-eligible' } });
		expect(!refused.ok && refused.refusal.code === 'not-eligible' && refused.refusal.reasons.map((r) => r.code)).toEqual(['expired']);
		for (const bad of [
			{ edit: { scheduledAt: days(-1) }, code: 'invalid' },
			{ edit: { siteLabel: '  ' }, code: 'invalid' },
			{ edit: { siteLabel: 'x'.repeat(201) }, code: 'invalid' },
			{ edit: { durationMinutes: 0 }, code: 'invalid' },
			{ edit: { jobTypeId: '00000000-0000-0000-0000-000000000000' }, code: 'unknown-job-type' },
			{ edit: { jobTypeId: 'nope' }, code: 'unknown-job-type' },
			{ edit: { scheduledAt: days(250), overrideReason: 'x'.repeat(1001) }, code: 'invalid' }
		]) {
			const r = await editJob(t.db, asManager(), jobId, bad.edit, NOW);
			expect(!r.ok && r.refusal.code, JSON.stringify(bad.edit).slice(0, 80)).toBe(bad.code);
		}
		expect(await rowOf(jobId)).toEqual(before);
		expect((await auditOfJob(jobId)).length).toBe(trail);

		const fine = await editJob(t.db, asManager(), jobId, { siteLabel: ' Mr Zhao, Haidian ', scheduledAt: days(5), durationMinutes: 90 }, NOW);
		expect(fine).toEqual({ ok: true, value: { jobId, overridden: false } });
		expect(await rowOf(jobId)).toMatchObject({ siteLabel: 'Mr Zhao, Haidian', scheduledAt: days(5), durationMinutes: 90, assigneeId: techs.ok, overrideReason: null });
		const changed = (await auditOfJob(jobId)).find((a) => a.action === 'job.changed')!;
		expect(changed.actorId).toBe(manager);
		expect(changed.detail).toMatchObject({ before: { siteLabel: 'Mr Zhao', scheduledAt: days(4).toISOString(), durationMinutes: 60 }, after: { siteLabel: 'Mr Zhao, Haidian', scheduledAt: days(5).toISOString(), durationMinutes: 90 } });

		const overridden = await editJob(t.db, asManager(), jobId, { scheduledAt: days(250), overrideReason: ' Renewal exam is booked before then. ' }, NOW);
		expect(overridden).toEqual({ ok: true, value: { jobId, overridden: true } });
		expect(await rowOf(jobId)).toMatchObject({ scheduledAt: days(250), assigneeId: techs.ok, overrideReason: 'Renewal exam is booked before then.' });
		const entry = (await auditOfJob(jobId)).find((a) => a.action === 'job.changed_override')!;
		expect(entry.detail).toMatchObject({ technicianId: techs.ok, overrideReason: 'Renewal exam is booked before then.', after: { scheduledAt: days(250).toISOString() } });
		expect((entry.detail.reasons as Array<{ code: string }>).map((r) => r.code)).toEqual(['expired']);
	});

	it('keeps a manager to their teams: another team\'s job is not found', async () => {
		const southJob = await createJob(t.db, { kind: 'token', tokenName: 'dispatch' }, { jobTypeId: ro.id, teamId: south, siteLabel: 'South site', scheduledAt: days(4), durationMinutes: 60 });
		if (!southJob.ok) throw new Error('not created');
		const before = await rowOf(southJob.value.id);
		expect(await editJob(t.db, asManager(), southJob.value.id, { siteLabel: 'Mine now' }, NOW)).toMatchObject({ ok: false, refusal: { code: 'unknown-job' } });
		expect(await cancelJob(t.db, asManager(), southJob.value.id, 'Not mine')).toMatchObject({ ok: false, refusal: { code: 'unknown-job' } });
		expect(await rowOf(southJob.value.id)).toEqual(before);
	});

	it('cancels with a reason, taking the technician off in the same change; a cancelled job is neither assigned nor edited', async () => {
		const created = await createJob(t.db, asManager(), { jobTypeId: ro.id, teamId: north, siteLabel: 'Ms Sun', scheduledAt: days(6), durationMinutes: 60 });
		if (!created.ok) throw new Error(created.refusal.message);
		const jobId = created.value.id;
		expect((await assignJob(t.db, asManager(), { jobId, technicianId: techs.ok! })).ok).toBe(true);
		const before = await rowOf(jobId);
		const trail = (await auditOfJob(jobId)).length;
		for (const bad of [undefined, '', '   ', 'x'.repeat(1001)]) {
			expect(await cancelJob(t.db, asManager(), jobId, bad)).toMatchObject({ ok: false, refusal: { code: 'invalid', field: 'cancelReason' } });
		}
		expect(await rowOf(jobId)).toEqual(before);
		expect((await auditOfJob(jobId)).length).toBe(trail);

		expect(await cancelJob(t.db, asManager(), jobId, ' Customer moved the appointment to next month. ')).toEqual({ ok: true, value: { jobId } });
		const row = await rowOf(jobId);
		expect(row).toMatchObject({ assigneeId: null, assignedAt: null, overrideReason: null, cancelledBy: manager, cancelReason: 'Customer moved the appointment to next month.' });
		expect(row.cancelledAt).toBeInstanceOf(Date);
		const entry = (await auditOfJob(jobId)).find((a) => a.action === 'job.cancelled')!;
		expect(entry.detail).toMatchObject({ reason: 'Customer moved the appointment to next month.', technicianId: techs.ok, technician: 'ok' });

		const cancelled = await rowOf(jobId);
		const afterTrail = (await auditOfJob(jobId)).length;
		expect(await assignJob(t.db, asManager(), { jobId, technicianId: techs.ok! })).toMatchObject({ ok: false, refusal: { code: 'job-cancelled' } });
		expect(await editJob(t.db, asManager(), jobId, { siteLabel: 'Elsewhere' }, NOW)).toMatchObject({ ok: false, refusal: { code: 'job-cancelled' } });
		expect(await cancelJob(t.db, asManager(), jobId, 'Again')).toMatchObject({ ok: false, refusal: { code: 'job-cancelled' } });
		expect(await rowOf(jobId)).toEqual(cancelled);
		expect((await auditOfJob(jobId)).length).toBe(afterTrail);
	});
});

describe('who may change a job type', () => {
	it('is an administrator or a manager of every team whose jobs use it; every change is audited with before and after', async () => {
		const type = await createJobType(t.db, manager, { name: 'Shared type', productLine: 'water-purifier', requirements: [] });
		if (!type.ok) throw new Error('not created');
		const id = type.value.id;
		const draft = { name: 'Shared type', productLine: 'water-purifier', requirements: [{ certificationId: 'ro-purifier-service', minLevel: 1 }] };
		// No job uses it yet: a manager of North alone may change it.
		expect(await updateJobType(t.db, manager, id, draft, [north])).toMatchObject({ ok: true });
		// A South job uses it now: the North-only manager may no longer change it, nor archive it.
		await createJob(t.db, { kind: 'token', tokenName: 'dispatch' }, { jobTypeId: id, teamId: south, siteLabel: 'South site', scheduledAt: days(4), durationMinutes: 60 });
		const before = (await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id))).length;
		expect(await updateJobType(t.db, manager, id, { ...draft, requirements: [] }, [north])).toMatchObject({ ok: false, refusal: { code: 'job-type-foreign-teams', teams: ['South'] } });
		expect(await archiveJobType(t.db, manager, id, [north])).toMatchObject({ ok: false, refusal: { code: 'job-type-foreign-teams', teams: ['South'] } });
		expect((await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id))).length).toBe(before);
		// A manager of both teams, or an administrator, may.
		expect(await updateJobType(t.db, manager, id, { ...draft, requirements: [] }, [north, south])).toMatchObject({ ok: true });
		expect(await archiveJobType(t.db, manager, id, 'all')).toMatchObject({ ok: true });
		const trail = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id));
		const changed = trail.filter((e) => e.action === 'job_type.changed').at(-1)!;
		expect(changed.detail).toMatchObject({ before: { requirements: [{ certificationId: 'ro-purifier-service', minLevel: 1 }] }, after: { requirements: [] } });
		expect(trail.find((e) => e.action === 'job_type.archived')!.detail).toMatchObject({ before: { archivedAt: null }, after: { archivedAt: expect.any(String) } });
	});
});
