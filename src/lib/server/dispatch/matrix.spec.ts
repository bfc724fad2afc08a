import { describe, expect, it } from 'vitest';
import { certificationMatrix } from './matrix';
import type { Holding } from '../certification/types';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const d = (n: number) => new Date(NOW.getTime() + n * DAY);
const defs = [
	{ id: 'a', renewalWindowDays: 30 },
	{ id: 'b', renewalWindowDays: 10 }
];
let n = 0;
function h(userId: string, certificationId: string, from: number, to: number, extra: Partial<Holding> = {}): Holding & { userId: string } {
	return { id: `h${n++}`, userId, certificationId, level: 1, grantedAt: d(from), expiresAt: d(to), revokedAt: null, revokeReason: null, renewedFromId: null, ...extra };
}
const techs = [{ technicianId: 'u1' }, { technicianId: 'u2' }, { technicianId: 'u3' }];

describe('certificationMatrix', () => {
	it('shows every status, with level and expiry', () => {
		const rows = certificationMatrix(
			defs,
			techs,
			[
				h('u1', 'a', -10, 300, { level: 2 }),
				h('u1', 'b', -300, 5),
				h('u2', 'a', -400, -1),
				h('u2', 'b', -10, 100, { revokedAt: d(-1), revokeReason: 'x' }),
				h('u3', 'a', 3, 300)
			],
			NOW,
			{ soonDays: 30 }
		);
		expect(rows.map((r) => r.cells.map((c) => `${c.status}:${c.level ?? '-'}:${c.expiringSoon ? 'soon' : ''}`))).toEqual([
			['active:2:', 'renewal-due:1:soon'],
			['expired:1:', 'revoked:1:'],
			['not-yet-valid:1:', 'none:-:']
		]);
		expect(rows[0]!.cells[0]!.expiresAt).toEqual(d(300));
		// A revoked cycle carries its revocation date (it reads "revoked on …", never "until …").
		expect(rows[1]!.cells[1]).toMatchObject({ status: 'revoked', revokedAt: d(-1) });
		expect(rows[0]!.cells[0]!.revokedAt).toBeNull();
	});

	it('reads the latest cycle started by now: a renewal replaces the old cycle', () => {
		const rows = certificationMatrix(defs, [techs[0]!], [h('u1', 'a', -360, 5), h('u1', 'a', -2, 365, { renewedFromId: 'h-old' })], NOW, { soonDays: 30 });
		expect(rows[0]!.cells[0]).toMatchObject({ status: 'active', expiresAt: d(365), expiringSoon: false });
	});

	it('counts "expiring soon" up to and including the limit, and only for valid cycles', () => {
		const at = (to: number) => certificationMatrix([defs[1]!], [techs[0]!], [h('u1', 'b', -100, to)], NOW, { soonDays: 30 })[0]!.cells[0]!.expiringSoon;
		expect(at(30)).toBe(true);
		expect(at(30.0001)).toBe(false);
		expect(at(0.0001)).toBe(true);
		expect(at(0)).toBe(false); // expired at this very instant
	});

	it('keeps only technicians with something expiring soon when asked, in the given order', () => {
		const holdings = [h('u3', 'a', -10, 7), h('u2', 'b', -10, 200), h('u1', 'a', -300, 20)];
		expect(certificationMatrix(defs, techs, holdings, NOW, { soonDays: 14, onlyExpiring: true }).map((r) => r.technician.technicianId)).toEqual(['u3']);
		expect(certificationMatrix(defs, techs, holdings, NOW, { soonDays: 30, onlyExpiring: true }).map((r) => r.technician.technicianId)).toEqual(['u1', 'u3']);
		expect(certificationMatrix(defs, techs, holdings, NOW, { soonDays: 30 }).length).toBe(3);
	});

	it('does not depend on the order of holdings', () => {
		const holdings = [h('u1', 'a', -360, 5), h('u1', 'a', -2, 365), h('u1', 'b', -10, -5), h('u1', 'b', -4, 50, { level: 1 })];
		const one = certificationMatrix(defs, techs, holdings, NOW, { soonDays: 60 });
		const two = certificationMatrix(defs, techs, [...holdings].reverse(), NOW, { soonDays: 60 });
		expect(two).toEqual(one);
	});
});
