import { calendarDay, offsetLabel } from './zoned-time';

/**
 * Every date and time shown to a person is formatted here, in their language and in a named zone,
 * never in the server's:
 * - times (when something happened, when a job starts) in the viewer's zone — their own choice,
 *   else their team's, else the organisation's (the root layout's `zones.viewer`) — or, for a
 *   job, in its team's zone;
 * - calendar dates (due, expiry, granted) as days in the organisation's zone (`zones.organisation`),
 *   the same on pages, in e-mails, PDFs and CSV.
 * Machine formats (API JSON, `datetime` attributes) stay ISO 8601.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The zones a page formats with (root layout data of a signed-in person). */
export interface Zones {
	/** Where this person reads times. */
	viewer: string;
	/** Where due and expiry dates are calendar days. */
	organisation: string;
}

export const DEFAULT_ZONES: Zones = { viewer: DEFAULT_TIME_ZONE, organisation: DEFAULT_TIME_ZONE };

const formatters = new Map<string, Intl.DateTimeFormat>();
const FORMATS: Record<'datetime' | 'date' | 'time' | 'long' | 'clock' | 'clockSeconds', Intl.DateTimeFormatOptions> = {
	datetime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
	date: { dateStyle: 'medium' },
	time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
	long: { year: 'numeric', month: 'long', day: 'numeric' },
	clock: { hourCycle: 'h23', hour: '2-digit', minute: '2-digit' },
	clockSeconds: { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' }
};

/** One formatter per language, zone and format, made when first needed (building one is costly). */
function formatter(locale: string, timeZone: string, kind: keyof typeof FORMATS): Intl.DateTimeFormat {
	const key = `${locale}|${timeZone}|${kind}`;
	let f = formatters.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale, { ...FORMATS[kind], timeZone });
		formatters.set(key, f);
	}
	return f;
}

/** "Dec 3, 2026, 09:00 UTC+8": a moment in `timeZone`, its offset named. */
export function formatDateTime(date: Date | string, locale: string, timeZone: string): string {
	const at = new Date(date);
	return `${formatter(locale, timeZone, 'datetime').format(at)} ${offsetLabel(at, timeZone)}`;
}

/** "Dec 3, 2026, 09:00 (Asia/Shanghai, UTC+8)": a moment with its zone named in full (job times). */
export function formatZonedDateTime(date: Date | string, locale: string, timeZone: string): string {
	const at = new Date(date);
	return `${formatter(locale, timeZone, 'datetime').format(at)} (${zoneLabel(timeZone, at)})`;
}

/** "09:00": the wall-clock time in `timeZone` (beside a full date and zone already shown). */
export function formatTime(date: Date | string, locale: string, timeZone: string): string {
	return formatter(locale, timeZone, 'time').format(new Date(date));
}

/** "Dec 3, 2026": the calendar day in `timeZone` (for due and expiry dates: the organisation's). */
export function formatDate(date: Date | string, locale: string, timeZone: string): string {
	return formatter(locale, timeZone, 'date').format(new Date(date));
}

/** "3 December 2026", "2026年12月3日": a calendar day in `timeZone` written out (certificates). */
export function formatLongDate(date: Date | string, locale: string, timeZone: string): string {
	return formatter(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', timeZone, 'long').format(new Date(date));
}

/** "2026-12-03": the calendar day in `timeZone`, the same in every language (CSV, e-mails, reasons). */
export function formatDay(date: Date | string, timeZone: string): string {
	return calendarDay(new Date(date), timeZone);
}

/** "2026-12-03 09:00 UTC+8": a compact moment for logs and tables, the same in every language. */
export function formatStamp(date: Date | string, timeZone: string, seconds = false): string {
	const at = new Date(date);
	const parts = formatter('en-CA', timeZone, seconds ? 'clockSeconds' : 'clock').format(at);
	return `${calendarDay(at, timeZone)} ${parts} ${offsetLabel(at, timeZone)}`;
}

/** "Asia/Shanghai, UTC+8": a zone and its offset at `at` (now by default). */
export function zoneLabel(timeZone: string, at: Date | number = Date.now()): string {
	return `${timeZone}, ${offsetLabel(at, timeZone)}`;
}

/** Points as people read them: at most one decimal (2.0833 → 2.1, 8 → 8), in their language. */
export function formatPoints(value: number, locale: string): string {
	return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.round(value * 10) / 10);
}
