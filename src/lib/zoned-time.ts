/**
 * Wall-clock times in a named zone and the instants they are, both ways, from the platform's Intl
 * data (IANA rules, daylight saving included) — never from hand-written offsets. Pure functions.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One cached formatter per zone: wall-clock parts of an instant, 24-hour, in the Latin digits. */
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(zone: string): Intl.DateTimeFormat {
	let f = partsFormatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', era: 'short' });
		partsFormatters.set(zone, f);
	}
	return f;
}

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** The wall clock of `zone` at an instant. */
export function wallClockAt(instant: Date | number, zone: string): WallClock {
	const parts: Record<string, string> = {};
	for (const p of partsFormatter(zone).formatToParts(new Date(instant))) parts[p.type] = p.value;
	const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
	return { year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). */
export function offsetAt(instant: Date | number, zone: string): number {
	const t = typeof instant === 'number' ? instant : instant.getTime();
	const w = wallClockAt(t, zone);
	const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	return asUtc - (t - (((t % 1000) + 1000) % 1000));
}

/** "UTC+8", "UTC-4", "UTC+5:30", "UTC" — the offset of `zone` at an instant, as people read it. */
export function offsetLabel(instant: Date | number, zone: string): string {
	const minutes = Math.round(offsetAt(instant, zone) / MINUTE);
	if (minutes === 0) return 'UTC';
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	const h = Math.floor(abs / 60);
	const m = abs % 60;
	return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar day in `zone` at an instant, YYYY-MM-DD (a due or expiry date in the organisation's zone). */
export function calendarDay(instant: Date | number, zone: string): string {
	const w = wallClockAt(instant, zone);
	return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The wall clock of `zone` at an instant as a `datetime-local` field shows it: YYYY-MM-DDTHH:mm. */
export function localInputValue(instant: Date | number, zone: string): string {
	const w = wallClockAt(instant, zone);
	return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** An instant as ISO 8601 with the offset of `zone`, e.g. 2026-12-03T09:00:00+08:00 (for machines). */
export function isoWithOffset(instant: Date | number, zone: string): string {
	const t = typeof instant === 'number' ? instant : instant.getTime();
	const w = wallClockAt(t, zone);
	const minutes = Math.round(offsetAt(t, zone) / MINUTE);
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * What a wall-clock time in a zone is:
 * - `exact`: it happens once;
 * - `gap`: it never happens (the clocks jump over it when daylight saving starts); `instant` is
 *   where the clock would be after the jump (02:30 in a one-hour gap → 03:30), `shiftedTo` shows it;
 * - `overlap`: it happens twice (the clocks go back); `instant` is the earlier, `later` the second.
 */
export type WallClockInstant =
	| { kind: 'exact'; instant: Date }
	| { kind: 'gap'; instant: Date; shiftedTo: string }
	| { kind: 'overlap'; instant: Date; later: Date };

/**
 * Reads "YYYY-MM-DDTHH:mm" (seconds allowed, as a `datetime-local` field sends it) as a wall-clock
 * time in `zone`. Null when malformed, not a real calendar time (2026-02-30T10:00) or outside the
 * years 2000–2100.
 */
export function wallClockToInstant(value: string, zone: string): WallClockInstant | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!match) return null;
	const [y, mo, d, h, mi] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
	const s = match[6] ? Number(match[6]) : 0;
	if (y < 2000 || y > 2100 || h > 23 || mi > 59 || s > 59) return null;
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
	const check = new Date(asUtc);
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
	// Every zone changes its offset at most once within a day either side, so the offsets a day
	// before and a day after are the only candidates; a candidate is right when the zone has that
	// offset at the instant it gives.
	const before = offsetAt(asUtc - DAY, zone);
	const after = offsetAt(asUtc + DAY, zone);
	const fits = [...new Set([before, after])]
		.map((offset) => asUtc - offset)
		.filter((t) => offsetAt(t, zone) === asUtc - t)
		.sort((a, b) => a - b);
	if (fits.length === 1) return { kind: 'exact', instant: new Date(fits[0]!) };
	if (fits.length >= 2) return { kind: 'overlap', instant: new Date(fits[0]!), later: new Date(fits.at(-1)!) };
	// In a gap: the offset before the jump carries the clock past it.
	const instant = new Date(asUtc - before);
	return { kind: 'gap', instant, shiftedTo: localInputValue(instant, zone) };
}
