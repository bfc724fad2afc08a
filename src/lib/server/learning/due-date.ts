import { m } from '../../paraglide/messages.js';
import { wallClockToInstant } from '../../zoned-time';

/**
 * A due date typed as YYYY-MM-DD means "by the end of that day" in `timeZone` (the organisation's:
 * due dates are calendar days there), i.e. the last second before the next day starts. Null when
 * not a real date.
 */
export function parseDueDate(value: string, timeZone = 'UTC'): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return null;
	const [, y, mo, d] = match.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(y, mo - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
	const next = new Date(date.getTime() + 86_400_000).toISOString().slice(0, 10);
	const start = wallClockToInstant(`${next}T00:00`, timeZone);
	return start ? new Date(start.instant.getTime() - 1000) : null;
}

/** A due date must not be in the past and at most two years ahead. */
export function dueDateProblem(due: Date, now: Date): string | null {
	if (due.getTime() < now.getTime()) return m.assign_due_past();
	if (due.getTime() - now.getTime() > 2 * 366 * 24 * 60 * 60 * 1000) return m.assign_due_too_far();
	return null;
}
