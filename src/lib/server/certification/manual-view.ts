import type { ContentLocale } from '$lib/content/schema';
import { findCourse } from '../content';
import { findQuiz, findScenario } from '../assessment/catalog';
import { localize } from '../assessment/draw';
import { m } from '../../paraglide/messages.js';
import type { CertificationDefinition } from './types';
import { statusAt } from './lifecycle';
import { currentStanding, readEvidence, type CurrentStatus, type EvidenceItem } from './manual-rules';
import type { CycleRow } from './manual';

/** One line of evidence as a trainer reads it: what, optionally a longer text, and when. */
export interface EvidenceLine {
	kind: EvidenceItem['kind'];
	label: string;
	text: string | null;
	at: string | null;
}

function courseTitle(slug: string, locale: ContentLocale): string {
	const course = findCourse(slug);
	return course ? localize(course.title, locale, course.locales[0] ?? 'en') : slug;
}

/** Stored evidence in words, with course, quiz and role-play titles in `locale` (ids when the content is gone). */
export function evidenceLines(stored: unknown, locale: ContentLocale): EvidenceLine[] {
	return readEvidence(stored).map((item): EvidenceLine => {
		const at = 'at' in item && item.at ? item.at.toISOString() : null;
		switch (item.kind) {
			case 'course':
				return { kind: 'course', label: m.trainer_cert_ev_course({ title: courseTitle(item.course, locale) }), text: null, at };
			case 'quiz': {
				const quiz = findQuiz(item.course, item.quiz);
				const fallback = findCourse(item.course)?.locales[0] ?? 'en';
				return { kind: 'quiz', label: m.trainer_cert_ev_quiz({ title: quiz ? localize(quiz.title, locale, fallback) : item.quiz, min: item.minScore }), text: null, at };
			}
			case 'scenario': {
				const scenario = findScenario(item.course, item.scenario);
				const fallback = findCourse(item.course)?.locales[0] ?? 'en';
				return {
					kind: 'scenario',
					label: m.trainer_cert_ev_scenario({ title: scenario ? localize(scenario.title, locale, fallback) : item.scenario, min: item.minScore }),
					text: null,
					at
				};
			}
			case 'note':
				return { kind: 'note', label: m.trainer_cert_ev_note(), text: item.text, at };
			case 'other':
				return { kind: 'other', label: m.trainer_cert_ev_other(), text: item.text, at: null };
		}
	});
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * A technician's certifications for a trainer: each certification (those defined, then any held whose
 * definition is gone) with where it stands and every cycle newest first — who granted it and how, the
 * evidence, the revocation with who and why, and whether it can be revoked now.
 */
export function historyCards(definitions: readonly CertificationDefinition[], cycles: readonly CycleRow[], locale: ContentLocale, now: Date) {
	const known = new Set(definitions.map((d) => d.id));
	const orphans = [...new Set(cycles.map((c) => c.certificationId).filter((id) => !known.has(id)))].sort();
	const cards: Array<{ def: Pick<CertificationDefinition, 'id' | 'levels' | 'renewalWindowDays'>; title: string }> = [
		...definitions.map((def) => ({ def, title: def.title[locale] ?? def.title.en ?? def.id })),
		...orphans.map((id) => ({ def: { id, levels: 1, renewalWindowDays: 0 }, title: id }))
	];
	return cards.map(({ def, title }) => {
		const mine = cycles.filter((c) => c.certificationId === def.id);
		const standing: CurrentStatus = currentStanding(def, mine, now);
		return {
			id: def.id,
			title,
			levels: def.levels,
			standing: { status: standing.status, level: standing.level, expiresAt: iso(standing.expiresAt) },
			cycles: mine.map((c) => {
				const status = statusAt(c, def, now);
				return {
					id: c.id,
					level: c.level,
					status,
					grantedAt: c.grantedAt.toISOString(),
					expiresAt: c.expiresAt.toISOString(),
					byHand: c.grantedBy !== null || readEvidence(c.evidence).some((e) => e.kind === 'note'),
					grantedByName: c.grantedByName,
					continues: c.renewedFromId !== null,
					revokedAt: iso(c.revokedAt),
					revokedByName: c.revokedByName,
					revokeReason: c.revokeReason,
					verifyCode: c.verifyCode,
					evidence: evidenceLines(c.evidence, locale),
					revocable: status === 'active' || status === 'renewal-due'
				};
			})
		};
	});
}
