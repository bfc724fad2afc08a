import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, certificationHolding, quizAttempt } from '../../src/lib/server/db/schema';
import { createDb, type DbHandle } from '../../src/lib/server/db';
import { createUser } from '../../src/lib/server/users';
import { evaluateCertifications } from '../../src/lib/server/certification/queries';
import type { CertificationDefinition } from '../../src/lib/server/certification/types';

const def: CertificationDefinition = {
	id: 'race-check',
	title: { en: 'Race check' },
	levels: 1,
	validityDays: 365,
	renewalWindowDays: 30,
	requirements: [[{ kind: 'quiz', course: 'complaints', quiz: 'five-steps-drill', minScore: 50 }]],
	renewal: [{ kind: 'quiz', course: 'complaints', quiz: 'five-steps-drill', minScore: 50 }]
};

let t: TestDb;
let others: DbHandle[] = [];
const users: string[] = [];
beforeAll(async () => {
	t = await freshDb();
	for (let i = 0; i < 8; i++) {
		const id = (await createUser(t.db, { email: `racer${i}@example.com`, displayName: `Racer ${i}`, roles: ['technician'] }, null)).id;
		users.push(id);
		await t.db.insert(quizAttempt).values({
			userId: id,
			courseSlug: 'complaints',
			quizId: 'five-steps-drill',
			number: 1,
			locale: 'en',
			kind: 'exam',
			passMark: 50,
			review: 'score',
			shuffleOptions: false,
			seed: 'seed',
			title: { en: 'Drill' },
			questions: [],
			submittedAt: new Date(Date.now() - 60_000),
			score: 9,
			maxScore: 10,
			percent: 90,
			passed: true
		});
	}
	// On a server, separate pools stand for separate app processes.
	if (t.url) others = await Promise.all([createDb({ url: t.url, max: 2 }), createDb({ url: t.url, max: 2 })]);
});
afterAll(async () => {
	await Promise.all(others.map((o) => o.close()));
	await t.dispose();
});

describe('automatic grants racing for the same technician', () => {
	it('grant exactly one cycle however many evaluations run at once', async () => {
		const pools = [t.db, ...others.map((o) => o.db)];
		const now = new Date();
		const results = await Promise.all(users.flatMap((u) => Array.from({ length: 6 }, (_, i) => evaluateCertifications(pools[i % pools.length]!, u, [def], now))));
		expect(results.flat().length).toBe(users.length);
		for (const u of users) {
			const cycles = await t.db.select().from(certificationHolding).where(eq(certificationHolding.userId, u));
			expect(cycles).toHaveLength(1);
		}
		const grants = await t.db.select().from(auditEvent).where(eq(auditEvent.action, 'certification.granted'));
		expect(grants).toHaveLength(users.length);
	});
});
