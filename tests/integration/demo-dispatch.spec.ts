import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { seedDemo } from '../../src/lib/server/demo';
import { certificationHolding } from '../../src/lib/server/db/schema';
import { eligibilityOf, jobEnd, listJobs, listJobTypes, listTechnicians } from '../../src/lib/server/dispatch';
import { certificationMatrix } from '../../src/lib/server/dispatch/matrix';
import { listCertifications } from '../../src/lib/server/certification/catalog';
import { calendarDay, localInputValue } from '../../src/lib/zoned-time';

let t: TestDb;
beforeAll(async () => {
	t = await freshDb();
	await seedDemo(t.db);
});
afterAll(() => t.dispose());

describe('demo dispatch data', () => {
	it('shows every reason for a "no" on the kindergarten repair visit', async () => {
		const types = await listJobTypes(t.db);
		expect(types.map((x) => x.name)).toEqual(['Complaint follow-up visit', 'Customer care call', 'RO purifier installation', 'RO purifier repair visit']);
		const repair = types.find((x) => x.name === 'RO purifier repair visit')!;
		const visit = (await listJobs(t.db, { teamIds: 'all' })).find((j) => j.siteLabel === 'Beijing Bright Kindergarten')!;
		const results = await eligibilityOf(t.db, repair, await listTechnicians(t.db), visit.scheduledAt, jobEnd(visit.scheduledAt, visit.durationMinutes));
		const codes = new Set(results.flatMap((r) => r.reasons.map((x) => x.code)));
		for (const code of ['missing', 'expired', 'expires-before-job', 'revoked', 'level-too-low']) expect(codes, code).toContain(code);
		expect(results.filter((r) => r.eligible).map((r) => r.email).sort()).toEqual(['chen.jie@example.com', 'li.na@example.com', 'zhang.wei@example.com']);
	});

	it('has technicians in every matrix state, and jobs to dispatch', async () => {
		const technicians = await listTechnicians(t.db);
		const holdings = await t.db.select().from(certificationHolding);
		const rows = certificationMatrix(listCertifications(), technicians, holdings, new Date(), { soonDays: 30 });
		const states = new Set(rows.flatMap((r) => r.cells.map((c) => c.status)));
		for (const s of ['active', 'renewal-due', 'expired', 'revoked', 'none']) expect(states, s).toContain(s);
		expect(rows.some((r) => r.cells.some((c) => c.expiringSoon))).toBe(true);
		const jobs = await listJobs(t.db, { teamIds: 'all' });
		expect(jobs.length).toBe(5);
		expect(jobs.filter((j) => j.assigneeId).length).toBe(2);
	});

	it('schedules the jobs at working hours in the teams’ local time (Asia/Shanghai), from tomorrow on', async () => {
		const jobs = await listJobs(t.db, { teamIds: 'all' });
		const today = calendarDay(new Date(), 'Asia/Shanghai');
		for (const j of jobs) {
			expect(j.teamTimeZone, j.siteLabel).toBe('Asia/Shanghai');
			const local = localInputValue(j.scheduledAt, 'Asia/Shanghai');
			expect(local, j.siteLabel).toMatch(/T(0[89]|1[0-7]):00$/);
			expect(local.slice(0, 10) > today, j.siteLabel).toBe(true);
		}
		expect(localInputValue(jobs.find((j) => j.siteLabel === 'Beijing Bright Kindergarten')!.scheduledAt, 'Asia/Shanghai')).toMatch(/T10:00$/);
	});
});
