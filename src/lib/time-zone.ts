/**
 * Time zones are IANA names, checked against the platform's Intl data (never hand-written
 * offsets). The organisation, each team and each person may have one.
 */

/** Every zone this platform knows, for pickers: the IANA canonical names plus UTC. */
export function timeZoneNames(): string[] {
	return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

/**
 * Names already looked up, canonical or not. Building a DateTimeFormat costs tens of microseconds
 * and every signed-in request resolves a zone, so each name is asked of Intl once per process;
 * the map is bounded (the platform knows some 600 zones; beyond the bound it starts again).
 */
const canonicalNames = new Map<string, string | null>();
const NAMES_KEPT = 2048;

/** The canonical name of a zone the platform knows (case-insensitive input), or null. */
export function canonicalTimeZone(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const name = value.trim();
	if (!name || name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
	const known = canonicalNames.get(name);
	if (known !== undefined) return known;
	let canonical: string | null;
	try {
		canonical = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
	} catch {
		canonical = null;
	}
	if (canonicalNames.size >= NAMES_KEPT) canonicalNames.clear();
	canonicalNames.set(name, canonical);
	return canonical;
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
