/**
 * Every date and time shown to a person is formatted here, in their language and in the
 * organisation's time zone (named), never in the server's.
 */
export const ORGANISATION_TIME_ZONE = 'Asia/Shanghai';

export function formatDateTime(date: Date | string, locale: string, timeZone = ORGANISATION_TIME_ZONE): string {
	return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' }).format(new Date(date));
}

export function formatDate(date: Date | string, locale: string, timeZone = ORGANISATION_TIME_ZONE): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(date));
}

/** Points as people read them: at most one decimal (2.0833 → 2.1, 8 → 8), in their language. */
export function formatPoints(value: number, locale: string): string {
	return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.round(value * 10) / 10);
}
