import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../i18n/locales';
import type { NoticeKind } from './reminders';
import { formatDay } from '../../format';

/** What an e-mail says: always in the recipient's language. */
export interface MailText {
	subject: string;
	body: string;
}

/** Who reads a certification notice: the technician it is about, or a manager of their team. */
export type Audience = 'technician' | 'manager';

/** The base of links in e-mails: ORIGIN, else the local default. */
export function siteOrigin(env: { ORIGIN?: string }): string {
	const origin = env.ORIGIN?.trim() || 'http://localhost:3000';
	return origin.replace(/\/+$/, '');
}

/**
 * Dates in e-mails: the calendar day in the organisation's zone (as on every page, PDF and CSV),
 * the same in both languages (2026-07-01).
 */
export function mailDate(date: Date, organisationTimeZone: string): string {
	return formatDay(date, organisationTimeZone);
}

export interface CertificationNoticeInput {
	kind: NoticeKind;
	audience: Audience;
	locale: Locale;
	recipientName: string;
	technicianName: string;
	/** The certification's title in the recipient's language. */
	certificationTitle: string;
	level: number;
	renewalOpensAt: Date;
	expiresAt: Date;
	origin: string;
	/** The organisation's zone: dates are calendar days in it. */
	timeZone: string;
}

/**
 * A certification notice. Technicians get the link to their certifications page, where renewal and
 * its requirements are; managers, who cannot open that page, the link to their team's page.
 */
export function certificationNoticeText(input: CertificationNoticeInput): MailText {
	const options = { locale: input.locale };
	const link = input.audience === 'technician' ? `${input.origin}/learn/certifications` : `${input.origin}/manager`;
	const params = {
		recipient: input.recipientName,
		technician: input.technicianName,
		certification: input.certificationTitle,
		level: input.level,
		opens: mailDate(input.renewalOpensAt, input.timeZone),
		expires: mailDate(input.expiresAt, input.timeZone),
		link
	};
	const technician = input.audience === 'technician';
	switch (input.kind) {
		case 'renewal_open':
			return {
				subject: m.notify_renewal_open_subject(params, options),
				body: technician ? m.notify_renewal_open_body_technician(params, options) : m.notify_renewal_open_body_manager(params, options)
			};
		case 'expiring_soon':
			return {
				subject: m.notify_expiring_soon_subject(params, options),
				body: technician ? m.notify_expiring_soon_body_technician(params, options) : m.notify_expiring_soon_body_manager(params, options)
			};
		case 'expired':
			return {
				subject: m.notify_expired_subject(params, options),
				body: technician ? m.notify_expired_body_technician(params, options) : m.notify_expired_body_manager(params, options)
			};
	}
}

export function courseDueText(input: { locale: Locale; recipientName: string; courseTitle: string; courseSlug: string; dueAt: Date; origin: string; timeZone: string }): MailText {
	const options = { locale: input.locale };
	const params = { recipient: input.recipientName, course: input.courseTitle, due: mailDate(input.dueAt, input.timeZone), link: `${input.origin}/learn/courses/${input.courseSlug}` };
	return { subject: m.notify_course_due_subject(params, options), body: m.notify_course_due_body(params, options) };
}

/** A course assigned to a technician (or its due date changed): what, by when, and the link. */
export function courseAssignedText(input: { locale: Locale; recipientName: string; courseTitle: string; courseSlug: string; dueAt: Date; origin: string; changed: boolean; timeZone: string }): MailText {
	const options = { locale: input.locale };
	const params = { recipient: input.recipientName, course: input.courseTitle, due: mailDate(input.dueAt, input.timeZone), link: `${input.origin}/learn/courses/${input.courseSlug}` };
	return input.changed
		? { subject: m.notify_course_redated_subject(params, options), body: m.notify_course_redated_body(params, options) }
		: { subject: m.notify_course_assigned_subject(params, options), body: m.notify_course_assigned_body(params, options) };
}

/** A course no longer assigned to a technician (removed, or it came from a team they left); what they did is kept. */
export function courseUnassignedText(input: { locale: Locale; recipientName: string; courseTitle: string; courseSlug: string; origin: string }): MailText {
	const options = { locale: input.locale };
	const params = { recipient: input.recipientName, course: input.courseTitle, link: `${input.origin}/learn/courses/${input.courseSlug}` };
	return { subject: m.notify_course_unassigned_subject(params, options), body: m.notify_course_unassigned_body(params, options) };
}
