import { z } from 'zod';
import { CONTENT_LOCALES } from './schema.ts';
import type { CertificationDefinition, Requirement } from '../server/certification/types.ts';
import { validateDefinition } from '../server/certification/lifecycle.ts';

/** `content/certifications/<id>.md`: frontmatter only (see content/README.md). */

const localized = z.partialRecord(z.enum(CONTENT_LOCALES), z.string().trim().min(1).max(300));
const ref = z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'must be <course>/<id>, e.g. complaints/final-exam');
const requirement = z.union([
	z.object({ course: z.string().regex(/^[a-z0-9-]+$/, 'must be a course slug') }).strict(),
	z.object({ quiz: ref, minScore: z.number().min(0).max(100) }).strict(),
	z.object({ scenario: ref, minScore: z.number().min(0).max(100) }).strict()
]);

export const certificationSchema = z
	.object({
		title: localized,
		summary: localized,
		validityDays: z.number().int().min(1).max(3650),
		renewalWindowDays: z.number().int().min(0).max(3650),
		levels: z.array(z.object({ requirements: z.array(requirement).min(1, 'needs at least one requirement') }).strict()).min(1).max(3, 'at most 3 levels'),
		renewal: z.array(requirement).default([])
	})
	.strict();

type RawRequirement = z.infer<typeof requirement>;

function toRequirement(r: RawRequirement): Requirement {
	if ('course' in r) return { kind: 'course', course: r.course };
	if ('quiz' in r) {
		const [course, quiz] = r.quiz.split('/') as [string, string];
		return { kind: 'quiz', course, quiz, minScore: r.minScore };
	}
	const [course, scenario] = r.scenario.split('/') as [string, string];
	return { kind: 'scenario', course, scenario, minScore: r.minScore };
}

export interface KnownContent {
	courses: Set<string>;
	quizzes: Set<string>;
	scenarios: Set<string>;
}

/**
 * Checks one certification: fields, that every course, quiz and scenario it names exists, and
 * the lifecycle's own soundness rules (e.g. the renewal window is shorter than the validity).
 */
export function checkCertification(
	id: string,
	data: unknown,
	lineOf: (path: PropertyKey[]) => number,
	known: KnownContent,
	report: (line: number, message: string) => void
): (CertificationDefinition & { summary: Record<string, string> }) | null {
	const parsed = certificationSchema.safeParse(data);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
			report(lineOf(path), `${issue.path.join('.') || 'frontmatter'} ${issue.code === 'unrecognized_keys' ? `has an unknown field "${issue.keys[0]}"` : issue.message}`);
		}
		return null;
	}
	const c = parsed.data;
	let ok = true;
	const checkRefs = (list: RawRequirement[], path: PropertyKey[]) =>
		list.forEach((r, i) => {
			const line = lineOf([...path, i]);
			if ('course' in r && !known.courses.has(r.course)) (ok = false), report(line, `there is no course "${r.course}"`);
			if ('quiz' in r && !known.quizzes.has(r.quiz)) (ok = false), report(line, `there is no quiz "${r.quiz}"`);
			if ('scenario' in r && !known.scenarios.has(r.scenario)) (ok = false), report(line, `there is no scenario "${r.scenario}"`);
		});
	c.levels.forEach((level, i) => checkRefs(level.requirements, ['levels', i, 'requirements']));
	checkRefs(c.renewal, ['renewal']);
	const def: CertificationDefinition & { summary: Record<string, string> } = {
		id,
		title: c.title as Record<string, string>,
		summary: c.summary as Record<string, string>,
		levels: c.levels.length,
		validityDays: c.validityDays,
		renewalWindowDays: c.renewalWindowDays,
		requirements: c.levels.map((l) => l.requirements.map(toRequirement)),
		renewal: c.renewal.map(toRequirement)
	};
	for (const problem of validateDefinition(def)) {
		ok = false;
		report(lineOf(problem.startsWith('renewalWindowDays') ? ['renewalWindowDays'] : []), problem);
	}
	return ok ? def : null;
}
