/**
 * Time zones are IANA names, checked against the platform's Intl data (never hand-written
 * offsets). The organisation, each team and each person may have one.
 */

/** Every zone this platform knows, for pickers: the IANA canonical names plus UTC. */
export function timeZoneNames(): string[] {
	return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

/** The canonical name of a zone the platform knows (case-insensitive input), or null. */
export function canonicalTimeZone(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const name = value.trim();
	if (!name || name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
	try {
		return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

export function isTimeZone(value: unknown): value is string {
	return canonicalTimeZone(value) !== null;
}

/**
 * The zone a person sees times in: their own choice, else their team's, else the organisation's
 * (a name the platform no longer knows is skipped; UTC when none is left).
 */
export function resolveTimeZone(...candidates: Array<string | null | undefined>): string {
	for (const candidate of candidates) {
		const zone = candidate ? canonicalTimeZone(candidate) : null;
		if (zone) return zone;
	}
	return 'UTC';
}
