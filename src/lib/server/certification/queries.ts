import { and, asc, eq, gte, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { certificationHolding, quizAttempt, scenarioRun, user } from '../db/schema';
import { recordAudit } from '../audit';
import { publishCertificationEvent } from '../notify/events';
import { SWEEPS, wakeSweep } from '../notify/jobs';
import { generateToken } from '../auth/session';
import { listCourses } from '../content';
import { listCertifications } from './catalog';
import { requiredQuizzes } from '../assessment/catalog';
import { progressOf } from '../learning/queries';
import { courseProgress } from '../learning/progress';
import type { CertificationDefinition, Evidence, Holding } from './types';
import { decideGrant, metRequirements } from './lifecycle';

/**
 * Everything a technician has achieved, with when: completed courses (lessons done and required
 * quizzes passed), every submitted quiz attempt and every finished scenario run. Three queries.
 */
export async function evidenceOf(db: Executor, userId: string): Promise<Evidence> {
	const [facts, attempts, runs] = await Promise.all([
		progressOf(db, userId),
		db
			.select({ course: quizAttempt.courseSlug, quiz: quizAttempt.quizId, percent: quizAttempt.percent, at: quizAttempt.submittedAt, passed: quizAttempt.passed })
			.from(quizAttempt)
			.where(and(eq(quizAttempt.userId, userId), isNotNull(quizAttempt.submittedAt))),
		db
			.select({ course: scenarioRun.courseSlug, scenario: scenarioRun.scenarioId, percent: scenarioRun.percent, at: scenarioRun.finishedAt })
			.from(scenarioRun)
			.where(and(eq(scenarioRun.userId, userId), isNotNull(scenarioRun.finishedAt)))
	]);
	const coursesCompleted: Evidence['coursesCompleted'] = [];
	for (const course of listCourses()) {
		const required = requiredQuizzes(course.slug);
		const passes = attempts.filter((a) => a.course === course.slug && a.passed && required.includes(a.quiz));
		const passed = [...new Set(passes.map((a) => a.quiz))];
		const p = courseProgress(course, facts, { required, passed });
		if (!p.complete || !p.completedAt) continue;
		// Complete once the last lesson was done and each required quiz first passed.
		const examTimes = required.map((id) => Math.min(...passes.filter((a) => a.quiz === id).map((a) => a.at!.getTime())));
		coursesCompleted.push({ course: course.slug, at: new Date(Math.max(p.completedAt.getTime(), ...examTimes)) });
	}
	return {
		coursesCompleted,
		quizBest: attempts.map((a) => ({ course: a.course, quiz: a.quiz, percent: a.percent ?? 0, at: a.at! })),
		scenarioBest: runs.map((r) => ({ course: r.course, scenario: r.scenario, percent: r.percent ?? 0, at: r.at! }))
	};
}

export async function holdingsOf(db: Executor, userId: string) {
	return db.select().from(certificationHolding).where(eq(certificationHolding.userId, userId)).orderBy(asc(certificationHolding.grantedAt));
}

/** The columns of a cycle that the lifecycle rules read (a `Holding`), for selects that add their own. */
export const holdingColumns = {
	id: certificationHolding.id,
	certificationId: certificationHolding.certificationId,
	level: certificationHolding.level,
	grantedAt: certificationHolding.grantedAt,
	expiresAt: certificationHolding.expiresAt,
	revokedAt: certificationHolding.revokedAt,
	revokeReason: certificationHolding.revokeReason,
	renewedFromId: certificationHolding.renewedFromId,
	renewalDueFrom: certificationHolding.renewalDueFrom,
	expiresBeforeChange: certificationHolding.expiresBeforeChange,
	relearn: certificationHolding.relearn
};

/** A stored cycle as the plain data the lifecycle rules take. */
export function asHolding(row: Holding): Holding {
	return {
		id: row.id,
		certificationId: row.certificationId,
		level: row.level,
		grantedAt: row.grantedAt,
		expiresAt: row.expiresAt,
		revokedAt: row.revokedAt,
		revokeReason: row.revokeReason,
		renewedFromId: row.renewedFromId,
		renewalDueFrom: row.renewalDueFrom ?? null,
		expiresBeforeChange: row.expiresBeforeChange ?? null,
		relearn: row.relearn ?? []
	};
}

const AUDIT_ACTION = { grant: 'certification.granted', renew: 'certification.renewed', upgrade: 'certification.upgraded' } as const;

/**
 * Grants, renews or upgrades every certification whose requirements are now met (rule: granted
 * automatically the moment the requirements are met). Safe to call after any completion; calling
 * it again changes nothing.
 */
export async function evaluateCertifications(db: Db, userId: string, definitions: CertificationDefinition[], now = new Date()) {
	return (await certify(db, userId, definitions, now)).changes;
}

/**
 * Evaluates and returns, besides the changes, the evidence and every cycle held afterwards, so
 * that a page showing certifications needs no second round of the same queries.
 */
export async function certify(db: Db, userId: string, definitions: CertificationDefinition[], now = new Date()) {
	const [evidence, rows] = await Promise.all([evidenceOf(db, userId), holdingsOf(db, userId)]);
	const due = (held: typeof rows) => definitions.some((def) => decideGrant(def, held.filter((r) => r.certificationId === def.id).map(asHolding), evidence, now).action !== 'none');
	// The usual case, nothing to grant, takes no lock and no transaction.
	if (!due(rows)) return { changes: [], evidence, holdings: rows };
	const changes: Array<{ certificationId: string; action: 'grant' | 'renew' | 'upgrade'; level: number }> = [];
	await db.transaction(async (tx) => {
		// Several app processes may evaluate the same technician at once (an exam submitted while the
		// sweep runs, say): one per-technician lock, then the decision again on what is now held, so
		// that each cycle is granted exactly once.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`certify:${userId}`}, 0))`);
		const held = await holdingsOf(tx, userId);
		for (const def of definitions) {
			const mine = held.filter((r) => r.certificationId === def.id).map(asHolding);
			const decision = decideGrant(def, mine, evidence, now);
			if (decision.action === 'none') continue;
			const reqs = decision.action === 'renew' ? def.renewal : def.requirements[decision.level - 1]!;
			const proof = metRequirements(reqs, evidence).evidence.map((e) => ({ ...e.requirement, at: e.at.toISOString() }));
			const [created] = await tx
				.insert(certificationHolding)
				.values({
					userId,
					certificationId: def.id,
					level: decision.level,
					grantedAt: decision.grantedAt,
					expiresAt: decision.expiresAt,
					renewedFromId: decision.renewedFromId,
					evidence: proof,
					verifyCode: generateToken().slice(0, 16)
				})
				.returning({ id: certificationHolding.id });
			await recordAudit(tx, {
				actorId: null,
				action: AUDIT_ACTION[decision.action],
				subjectType: 'certification',
				subjectId: created!.id,
				detail: { userId, certificationId: def.id, level: decision.level, expiresAt: decision.expiresAt.toISOString(), evidence: proof }
			});
			await publishCertificationEvent(
				tx,
				'certification.granted',
				{
					holdingId: created!.id,
					technicianId: userId,
					certificationId: def.id,
					level: decision.level,
					grantedAt: decision.grantedAt.toISOString(),
					expiresAt: decision.expiresAt.toISOString(),
					action: decision.action
				},
				now
			);
			changes.push({ certificationId: def.id, action: decision.action, level: decision.level });
		}
	});
	// Deliver the webhook events written with the grants now rather than at the next scheduled run.
	if (changes.length) await wakeSweep(SWEEPS.webhooks);
	return { changes, evidence, holdings: changes.length ? await holdingsOf(db, userId) : rows };
}

/** The public view of one certificate: name, certification, level and dates only. */
export async function findByVerifyCode(db: Executor, code: string) {
	if (!/^[A-Za-z0-9_-]{16}$/.test(code)) return null;
	const [row] = await db
		.select({
			name: user.displayName,
			certificationId: certificationHolding.certificationId,
			level: certificationHolding.level,
			grantedAt: certificationHolding.grantedAt,
			expiresAt: certificationHolding.expiresAt,
			revokedAt: certificationHolding.revokedAt,
			revokeReason: certificationHolding.revokeReason,
			renewedFromId: certificationHolding.renewedFromId,
			renewalDueFrom: certificationHolding.renewalDueFrom,
			id: certificationHolding.id,
			userId: certificationHolding.userId
		})
		.from(certificationHolding)
		.innerJoin(user, eq(user.id, certificationHolding.userId))
		.where(eq(certificationHolding.verifyCode, code));
	return row ?? null;
}

/**
 * Cycles granted automatically since `since` (e.g. the submission of an exam): what the result
 * page announces as earned by it.
 */
export async function earnedSince(db: Executor, userId: string, since: Date, locale: string) {
	const rows = await db
		.select({ id: certificationHolding.id, certificationId: certificationHolding.certificationId, level: certificationHolding.level })
		.from(certificationHolding)
		.where(
			and(
				eq(certificationHolding.userId, userId),
				gte(certificationHolding.grantedAt, since),
				isNull(certificationHolding.grantedBy),
				isNull(certificationHolding.revokedAt)
			)
		)
		.orderBy(asc(certificationHolding.grantedAt));
	return rows.map((r) => {
		const def = listCertifications().find((d) => d.id === r.certificationId);
		return { ...r, title: def?.title[locale] ?? def?.title.en ?? r.certificationId };
	});
}
