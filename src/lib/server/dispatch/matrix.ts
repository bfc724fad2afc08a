import type { CertificationDefinition, Holding } from '../certification/types';
import { latestCycle, statusAt, type HoldingStatus } from '../certification/lifecycle';

export type CellStatus = HoldingStatus | 'none';

export interface MatrixCell {
	certificationId: string;
	status: CellStatus;
	level: number | null;
	expiresAt: Date | null;
	/** When the cycle shown was revoked (status `revoked`): it reads "revoked on", never "until". */
	revokedAt: Date | null;
	/** Valid now and expiring within the window asked for. */
	expiringSoon: boolean;
}

export interface MatrixRow<T> {
	technician: T;
	cells: MatrixCell[];
}

const DAY = 86_400_000;

/**
 * Rule "matrix": one row per technician, one cell per certification, from the latest cycle of
 * that certification started by `now` (a cycle granted later is shown as not yet valid only when
 * nothing started before). A cell is "expiring soon" when it is valid (active or renewal due) and
 * expires within `soonDays` days of `now`. With `onlyExpiring`, only technicians with at least
 * one such cell are kept. Rows keep the order of `technicians`.
 */
export function certificationMatrix<T extends { technicianId: string }>(
	definitions: Pick<CertificationDefinition, 'id' | 'renewalWindowDays'>[],
	technicians: readonly T[],
	holdings: ReadonlyArray<Holding & { userId: string }>,
	now: Date,
	options: { soonDays: number; onlyExpiring?: boolean }
): MatrixRow<T>[] {
	const byUser = new Map<string, Array<Holding & { userId: string }>>();
	for (const h of holdings) {
		const list = byUser.get(h.userId);
		if (list) list.push(h);
		else byUser.set(h.userId, [h]);
	}
	const limit = now.getTime() + options.soonDays * DAY;
	const rows: MatrixRow<T>[] = [];
	for (const technician of technicians) {
		const mine = byUser.get(technician.technicianId) ?? [];
		const cells = definitions.map((def): MatrixCell => {
			const cycles = mine.filter((h) => h.certificationId === def.id);
			const started = cycles.filter((h) => h.grantedAt.getTime() <= now.getTime());
			const latest = latestCycle(started.length ? started : cycles);
			if (!latest) return { certificationId: def.id, status: 'none', level: null, expiresAt: null, revokedAt: null, expiringSoon: false };
			const status = statusAt(latest, def, now);
			const valid = status === 'active' || status === 'renewal-due';
			return {
				certificationId: def.id,
				status,
				level: latest.level,
				expiresAt: latest.expiresAt,
				revokedAt: status === 'revoked' ? latest.revokedAt : null,
				expiringSoon: valid && latest.expiresAt.getTime() <= limit
			};
		});
		if (options.onlyExpiring && !cells.some((c) => c.expiringSoon)) continue;
		rows.push({ technician, cells });
	}
	return rows;
}
