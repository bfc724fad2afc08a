import type { ContentLocale } from '$lib/content/schema';
import { findCourse } from '../content';
import { findQuiz, findScenario } from '../assessment/catalog';
import { localize } from '../assessment/draw';
import type { CertificationDefinition, Evidence, Holding, Requirement } from './types';
import { latestCycle, metRequirements, renewalOpensAt, statusAt } from './lifecycle';

export interface RequirementLine {
	kind: Requirement['kind'];
	title: string;
	href: string;
	min: number | null;
	met: boolean;
}

/** One requirement as the technician reads it: what, where to do it, and whether it is done. */
function describe(req: Requirement, evidence: Evidence, since: Date | undefined, locale: ContentLocale): RequirementLine {
	const course = findCourse(req.course);
	const fallback = course?.locales[0] ?? 'en';
	const met = metRequirements([req], evidence, since).met;
	if (req.kind === 'course')
		return { kind: 'course', title: course ? localize(course.title, locale, fallback) : req.course, href: `/learn/courses/${req.course}`, min: null, met };
	if (req.kind === 'quiz') {
		const quiz = findQuiz(req.course, req.quiz);
		return { kind: 'quiz', title: quiz ? localize(quiz.title, locale, fallback) : req.quiz, href: `/learn/courses/${req.course}/quizzes/${req.quiz}`, min: req.minScore, met };
	}
	const scenario = findScenario(req.course, req.scenario);
	return { kind: 'scenario', title: scenario ? localize(scenario.title, locale, fallback) : req.scenario, href: `/learn/courses/${req.course}/scenarios/${req.scenario}`, min: req.minScore, met };
}

/**
 * A technician's view of each certification: the current cycle's status and dates, what the next
 * level (or a new grant) requires, and — once the renewal window is open — what renewal requires.
 */
export function certificationCards(
	defs: Array<CertificationDefinition & { summary: Record<string, string> }>,
	rows: Array<Holding & { verifyCode: string }>,
	evidence: Evidence,
	locale: ContentLocale,
	now: Date
) {
	return defs.map((def) => {
		const mine = rows.filter((r) => r.certificationId === def.id);
		const latest = latestCycle(mine) as (Holding & { verifyCode: string }) | null;
		const status = latest ? statusAt(latest, def, now) : 'none';
		const held = status === 'active' || status === 'renewal-due';
		const level = held ? latest!.level : 0;
		const nextLevel = held ? Math.min(def.levels, level + 1) : 1;
		const showNext = !held || level < def.levels;
		const since = held ? undefined : (latest ? (latest.revokedAt ?? latest.expiresAt) : undefined);
		return {
			id: def.id,
			title: def.title[locale] ?? def.title.en ?? def.id,
			summary: def.summary[locale] ?? def.summary.en ?? '',
			levels: def.levels,
			status,
			level,
			grantedAt: held ? latest!.grantedAt.toISOString() : null,
			expiresAt: latest ? latest.expiresAt.toISOString() : null,
			revokedAt: status === 'revoked' && latest?.revokedAt ? latest.revokedAt.toISOString() : null,
			verifyCode: held ? latest!.verifyCode : null,
			/** The cycle whose certificate can be downloaded (null when none is valid). */
			holdingId: held ? latest!.id : null,
			next: showNext ? { level: nextLevel, requirements: def.requirements[nextLevel - 1]!.map((r) => describe(r, evidence, since, locale)) } : null,
			renewal: status === 'renewal-due' ? def.renewal.map((r) => describe(r, evidence, renewalOpensAt(latest!, def), locale)) : null
		};
	});
}
