import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, certificationHolding } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo';
import { findUserByEmail } from '../../src/lib/server/users';
import { findCourse } from '../../src/lib/server/content';
import { publish, publishedPackages, refreshContent, scenarioAtVersion } from '../../src/lib/server/content/store';
import { findScenario } from '../../src/lib/server/assessment/catalog';
import { startOrResumeRun } from '../../src/lib/server/scenario/runs';
import { progressOf, recordCompleted } from '../../src/lib/server/learning/queries';
import { courseProgress } from '../../src/lib/server/learning/progress';
import { findCertification } from '../../src/lib/server/certification/catalog';
import { holdingsOf } from '../../src/lib/server/certification/queries';
import { asHolding } from '../../src/lib/server/certification/queries';
import { statusAt } from '../../src/lib/server/certification/lifecycle';
import { learnerRecord } from '../../src/lib/server/learning/learner';
import { bestScores } from '../../src/lib/server/scenario/graph';

let t: TestDb;
let tech: string;
let other: string;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
	t = await freshDb();
	await seedDemo(t.db);
	await refreshContent(t.db);
	tech = (await findUserByEmail(t.db, 'technician@example.com'))!.id;
	other = (await findUserByEmail(t.db, 'li.na@example.com'))!.id;
});
afterAll(() => t.dispose());

/** A cycle of home-visit-service granted `daysAgo` days ago for a year. */
async function grant(userId: string, daysAgo: number) {
	const grantedAt = new Date(Date.now() - daysAgo * DAY);
	const [row] = await t.db
		.insert(certificationHolding)
		.values({ userId, certificationId: 'home-visit-service', level: 1, grantedAt, expiresAt: new Date(grantedAt.getTime() + 365 * DAY), verifyCode: `mc${userId.slice(0, 8)}${daysAgo}` })
		.returning();
	return row!;
}

describe('a material change to a course', () => {
	it('makes holders of dependent certifications renewal-due by the date, and asks readers to complete the course again', async () => {
		const course = findCourse('home-visit')!;
		for (const lesson of course.lessons) await recordCompleted(t.db, { userId: tech, course, lessonSlug: lesson.slug, locale: 'en' });
		expect(courseProgress(course, await progressOf(t.db, tech)).done).toBe(course.lessons.length);
		const mine = await grant(tech, 30);
		const revoked = await grant(other, 20);
		await t.db.update(certificationHolding).set({ revokedAt: new Date(), revokeReason: 'test' }).where(eq(certificationHolding.id, revoked.id));

		// A plain publish changes nobody's standing.
		const published = (await publishedPackages(t.db)).find((p) => p.kind === 'course' && p.key === 'home-visit')!;
		const lessonPath = Object.keys(published.files).find((f) => f.endsWith('01-before-you-arrive.en.svx'))!;
		const edited = { ...published.files, [lessonPath]: published.files[lessonPath]!.replace(/\n$/, '\n\nA new paragraph on the 2027 models.\n') };
		const plain = await publish(t.db, { changes: [{ kind: 'course', key: 'home-visit', files: edited }], authorId: null, note: 'Typo' });
		expect(plain.ok).toBe(true);
		expect((await holdingsOf(t.db, tech)).find((h) => h.id === mine.id)!.renewalDueFrom).toBeNull();

		const renewBy = new Date(Date.now() + 45 * DAY);
		const again = { ...edited, [lessonPath]: edited[lessonPath]!.replace('2027 models', '2027 models and their new filter') };
		const material = await publish(t.db, { changes: [{ kind: 'course', key: 'home-visit', files: again }], authorId: null, note: 'New filter', renewBy });
		expect(material.ok).toBe(true);
		await refreshContent(t.db);

		const after = (await holdingsOf(t.db, tech)).find((h) => h.id === mine.id)!;
		expect(after.expiresAt.getTime()).toBe(renewBy.getTime());
		expect(after.expiresBeforeChange!.getTime()).toBe(mine.expiresAt.getTime());
		expect(after.relearn).toEqual(['home-visit']);
		expect(statusAt(asHolding(after), findCertification('home-visit-service')!, new Date())).toBe('renewal-due');
		// A revoked cycle stays as it was.
		const untouched = (await holdingsOf(t.db, other)).find((h) => h.id === revoked.id)!;
		expect(untouched.renewalDueFrom).toBeNull();

		// The course must be completed again on the new version.
		const changed = findCourse('home-visit')!;
		expect(changed.relearnVersion).toBe(3);
		expect(courseProgress(changed, await progressOf(t.db, tech)).done).toBe(0);
		await recordCompleted(t.db, { userId: tech, course: changed, lessonSlug: changed.lessons[0]!.slug, locale: 'en' });
		expect(courseProgress(changed, await progressOf(t.db, tech)).done).toBe(1);

		const [audit] = await t.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'content.material_change'), eq(auditEvent.subjectId, 'home-visit')));
		expect(audit!.detail).toMatchObject({ version: 3, certifications: expect.arrayContaining(['home-visit-service']) });
		expect((audit!.detail as { holders: number }).holders).toBeGreaterThanOrEqual(1);
	});
});

describe('a scenario run and a new version of its course', () => {
	it('is played and debriefed on the version it started on', async () => {
		await refreshContent(t.db);
		const before = findScenario('complaints', 'leaking-purifier')!;
		const run = await startOrResumeRun(t.db, tech, before, 'en');
		const startedOn = findCourse('complaints')!.version;
		expect(run.contentVersion).toBe(startedOn);

		const pkg = (await publishedPackages(t.db)).find((p) => p.kind === 'course' && p.key === 'complaints')!;
		const file = 'courses/02-complaints/leaking-purifier.scenario.md';
		const changed = pkg.files[file]!.replace('Oh, so today you turn up.', 'So you finally came.');
		expect(changed).not.toBe(pkg.files[file]);
		expect(await publish(t.db, { changes: [{ kind: 'course', key: 'complaints', files: { ...pkg.files, [file]: changed } }], authorId: null, note: 'New opening line' })).toMatchObject({ ok: true });
		await refreshContent(t.db);

		expect(findScenario('complaints', 'leaking-purifier')!.nodes.find((n) => n.id === 'door')!.line.en).toContain('So you finally came.');
		const old = (await scenarioAtVersion(t.db, 'complaints', 'leaking-purifier', startedOn))!;
		expect(old.nodes.find((n) => n.id === 'door')!.line.en).toContain('Oh, so today you turn up.');
		// A run started now uses the new version.
		const other = (await findUserByEmail(t.db, 'sam.ortiz@example.com'))!.id;
		expect((await startOrResumeRun(t.db, other, findScenario('complaints', 'leaking-purifier')!, 'en')).contentVersion).toBe(startedOn + 1);
	});
});

describe('a learner record of runs on older versions', () => {
	it('measures each run against the most one play could earn on the version it was played on, loading those versions in one query', async () => {
		await refreshContent(t.db);
		const played = (await learnerRecord(t.db, tech, { kind: 'trainer' }, 'en'))!.transcript.runs.find((r) => r.scenarioId === 'leaking-purifier')!;
		const startedOn = played.version!;
		const bestOn = async (version: number) => bestScores((await scenarioAtVersion(t.db, 'complaints', 'leaking-purifier', version))!).perCompetency;
		const before = await bestOn(startedOn);

		// A new version earns more for the best closing reply.
		const pkg = (await publishedPackages(t.db)).find((p) => p.kind === 'course' && p.key === 'complaints')!;
		const file = 'courses/02-complaints/leaking-purifier.scenario.md';
		const richer = pkg.files[file]!.replace(/scores: \{ productAccuracy: 3, professionalism: 2, listening: 2, problemSolving: 1 \}/, 'scores: { productAccuracy: 6, professionalism: 5, listening: 2, problemSolving: 1 }');
		expect(richer).not.toBe(pkg.files[file]);
		expect(await publish(t.db, { changes: [{ kind: 'course', key: 'complaints', files: { ...pkg.files, [file]: richer } }], authorId: null, note: 'Richer close' })).toMatchObject({ ok: true });
		await refreshContent(t.db);
		const published = bestScores(findScenario('complaints', 'leaking-purifier')!).perCompetency;
		expect(published).not.toEqual(before);

		const counted = { selects: 0 };
		const db = new Proxy(t.db, {
			get(target, prop, receiver) {
				if (prop === 'select') counted.selects++;
				const value = Reflect.get(target, prop, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		const record = (await learnerRecord(db, tech, { kind: 'trainer' }, 'en'))!;
		// Six for the record, at most one for the older versions.
		expect(counted.selects).toBeLessThanOrEqual(7);
		const old = record.transcript.runs.find((r) => r.scenarioId === 'leaking-purifier')!;
		expect(old.version).toBe(startedOn);
		expect(Object.fromEntries(old.competencies.map((c) => [c.competency, c.best]))).toMatchObject(before);

		// A run on the version now published is measured against it.
		await startOrResumeRun(t.db, other, findScenario('complaints', 'leaking-purifier')!, 'en');
		const fresh = (await learnerRecord(t.db, other, { kind: 'trainer' }, 'en'))!.transcript.runs.find((r) => r.scenarioId === 'leaking-purifier')!;
		expect(fresh.version).toBe(findCourse('complaints')!.version);
		expect(Object.fromEntries(fresh.competencies.map((c) => [c.competency, c.best]))).toMatchObject(published);
	});
});
