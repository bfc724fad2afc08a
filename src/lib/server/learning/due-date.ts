import { m } from '../../paraglide/messages.js';

/**
 * A due date typed as YYYY-MM-DD means "by the end of that day" (UTC). Null when not a real date.
 */
export function parseDueDate(value: string): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return null;
	const [, y, mo, d] = match.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(y, mo - 1, d, 23, 59, 59));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
	return date;
}

/** A due date must not be in the past and at most two years ahead. */
export function dueDateProblem(due: Date, now: Date): string | null {
	if (due.getTime() < now.getTime()) return m.assign_due_past();
	if (due.getTime() - now.getTime() > 2 * 366 * 24 * 60 * 60 * 1000) return m.assign_due_too_far();
	return null;
}
