/**
 * A due date typed as YYYY-MM-DD means "by the end of that day" (UTC). Null when not a real date.
 */
export function parseDueDate(value: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return null;
	const [, y, mo, d] = m.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(y, mo - 1, d, 23, 59, 59));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
	return date;
}

/** A due date must not be in the past and at most two years ahead. */
export function dueDateProblem(due: Date, now: Date): string | null {
	if (due.getTime() < now.getTime()) return 'The due date is in the past.';
	if (due.getTime() - now.getTime() > 2 * 366 * 24 * 60 * 60 * 1000) return 'The due date is more than two years away.';
	return null;
}
