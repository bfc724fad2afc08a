import { wallClockToInstant } from '$lib/zoned-time';
import { m } from '../../paraglide/messages.js';

/**
 * A job's time as entered on a form (`YYYY-MM-DDTHH:mm`, the wall clock of the job's team in
 * `zone`) as an instant, or the message beside the field: a missing time, one that does not
 * exist (the clocks go forward) and one already past each get their own. A time that happens
 * twice (the clocks go back) is the first of the two. Used when a job is created and edited.
 */
export function jobTimeFromForm(raw: string, zone: string, now = Date.now()): { ok: true; at: Date } | { ok: false; message: string } {
	if (!raw.trim()) return { ok: false, message: m.job_time_missing() };
	const local = wallClockToInstant(raw, zone);
	if (!local) return { ok: false, message: m.job_time_invalid() };
	if (local.kind === 'gap') {
		const time = raw.trim().replace('T', ' ').slice(0, 16);
		return { ok: false, message: m.job_time_gap({ time, zone, shifted: local.shiftedTo.replace('T', ' ') }) };
	}
	if (local.instant.getTime() < now - 60_000) return { ok: false, message: m.job_time_past() };
	return { ok: true, at: local.instant };
}
