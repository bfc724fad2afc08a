import { listCertifications } from '../certification/catalog';
import { formatReason, type Reason, type ReasonLocale } from '../certification/eligibility';

/** Certifications as choices in forms and columns in tables, titled in the page's language. */
export function certificationChoices(locale: string) {
	return listCertifications().map((c) => ({ id: c.id, title: c.title[locale] ?? c.title.en ?? c.id, levels: c.levels }));
}

/** Certification titles in one language. */
export function titlesIn(locale: string): Record<string, string> {
	return Object.fromEntries(listCertifications().map((c) => [c.id, c.title[locale] ?? c.title.en ?? c.id]));
}

/** Reasons as sentences in the page's language, dates as days in the organisation's zone. */
export function reasonSentences(reasons: Reason[], locale: ReasonLocale, organisationTimeZone: string): string[] {
	const titles = titlesIn(locale);
	return reasons.map((r) => formatReason(r, titles, locale, organisationTimeZone));
}
