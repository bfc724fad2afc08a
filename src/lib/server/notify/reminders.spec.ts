import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	DEFAULT_REMINDER_POLICY,
	dueCourseReminders,
	dueNotices,
	noticeStages,
	reminderPolicyFromEnv,
	validatePolicy,
	type AssignmentFact,
	type TechnicianHolding
} from './reminders';

const DAY = 24 * 60 * 60 * 1000;
const E = new Date('2026-07-01T09:00:00Z');
const at = (base: Date, days: number, ms = 0) => new Date(base.getTime() + days * DAY + ms);

const defs = [
	{ id: 'home-visit', renewalWindowDays: 30 },
	{ id: 'ro-install', renewalWindowDays: 7 },
	{ id: 'no-window', renewalWindowDays: 0 }
];

let seq = 0;
function cycle(over: Partial<TechnicianHolding> = {}): TechnicianHolding {
	seq++;
	return {
		id: over.id ?? `h${String(seq).padStart(3, '0')}`,
		userId: 'tom',
		certificationId: 'home-visit',
		level: 1,
		grantedAt: at(E, -365),
		expiresAt: E,
		revokedAt: null,
		revokeReason: null,
		renewedFromId: null,
		...over
	};
}

const kinds = (list: ReturnType<typeof dueNotices>) => list.map((n) => `${n.holding.userId}/${n.holding.certificationId}/${n.kind}`);

describe('noticeStages', () => {
	const policy = DEFAULT_REMINDER_POLICY;
	const stages = (window: number, before: number) =>
		noticeStages({ expiresAt: E }, { renewalWindowDays: window }, { ...policy, daysBeforeExpiry: before }).map((s) => [
			s.kind,
			(s.from.getTime() - E.getTime()) / DAY,
			(s.until.getTime() - E.getTime()) / DAY
		]);

	it('a 30-day window and 7 days before expiry: window, then expiring soon, then expired for 7 days', () => {
		expect(stages(30, 7)).toEqual([
			['renewal_open', -30, -7],
			['expiring_soon', -7, 0],
			['expired', 0, 7]
		]);
	});

	it('the window opening on the same day as "expiring soon": only the window notice', () => {
		expect(stages(7, 7)).toEqual([
			['renewal_open', -7, 0],
			['expired', 0, 7]
		]);
	});

	it('"expiring soon" earlier than the window: it comes first and ends when the window opens', () => {
		expect(stages(7, 14)).toEqual([
			['expiring_soon', -14, -7],
			['renewal_open', -7, 0],
			['expired', 0, 7]
		]);
	});

	it('no window (0 days) gives no window notice; 0 days before expiry gives no "expiring soon"', () => {
		expect(stages(0, 7)).toEqual([
			['expiring_soon', -7, 0],
			['expired', 0, 7]
		]);
		expect(stages(30, 0)).toEqual([
			['renewal_open', -30, 0],
			['expired', 0, 7]
		]);
		expect(stages(0, 0)).toEqual([['expired', 0, 7]]);
	});

	it('counts calendar days in UTC and the expired stage lasts expiredNoticeDays', () => {
		const [first, , last] = noticeStages({ expiresAt: E }, { renewalWindowDays: 30 }, { daysBeforeExpiry: 7, expiredNoticeDays: 2 });
		expect(first!.from).toEqual(new Date('2026-06-01T09:00:00Z'));
		expect(last!.until).toEqual(new Date('2026-07-03T09:00:00Z'));
	});
});

describe('dueNotices', () => {
	it('nothing before the window opens; the window notice from the instant it opens', () => {
		const h = cycle();
		expect(dueNotices(defs, [h], [], at(E, -30, -1))).toEqual([]);
		expect(dueNotices(defs, [h], [], at(E, -30))).toEqual([{ kind: 'renewal_open', holding: h, dueSince: at(E, -30) }]);
		expect(kinds(dueNotices(defs, [h], [], at(E, -7, -1)))).toEqual(['tom/home-visit/renewal_open']);
	});

	it('"expiring soon" N days before expiry, configurable', () => {
		const h = cycle();
		expect(kinds(dueNotices(defs, [h], [], at(E, -7)))).toEqual(['tom/home-visit/expiring_soon']);
		expect(kinds(dueNotices(defs, [h], [], at(E, 0, -1)))).toEqual(['tom/home-visit/expiring_soon']);
		expect(kinds(dueNotices(defs, [h], [], at(E, -10), { daysBeforeExpiry: 10, expiredNoticeDays: 7 }))).toEqual(['tom/home-visit/expiring_soon']);
		expect(kinds(dueNotices(defs, [h], [], at(E, -10)))).toEqual(['tom/home-visit/renewal_open']);
	});

	it('"expired" from the expiry instant (valid up to, not including, it) for expiredNoticeDays', () => {
		const h = cycle();
		expect(dueNotices(defs, [h], [], E)).toEqual([{ kind: 'expired', holding: h, dueSince: E }]);
		expect(kinds(dueNotices(defs, [h], [], at(E, 7, -1)))).toEqual(['tom/home-visit/expired']);
		expect(dueNotices(defs, [h], [], at(E, 7))).toEqual([]);
		expect(dueNotices(defs, [h], [], at(E, 400))).toEqual([]);
	});

	it('each kind goes out once; another kind already sent does not stop the next one', () => {
		const h = cycle();
		expect(dueNotices(defs, [h], [{ holdingId: h.id, kind: 'renewal_open' }], at(E, -20))).toEqual([]);
		expect(kinds(dueNotices(defs, [h], [{ holdingId: h.id, kind: 'renewal_open' }], at(E, -3)))).toEqual(['tom/home-visit/expiring_soon']);
		expect(dueNotices(defs, [h], [{ holdingId: h.id, kind: 'expiring_soon' }], at(E, -3))).toEqual([]);
		expect(kinds(dueNotices(defs, [h], [{ holdingId: 'other', kind: 'renewal_open' }], at(E, -20)))).toEqual(['tom/home-visit/renewal_open']);
	});

	it('a renewed cycle supersedes the old one: the old gets nothing, the new one only in its own window', () => {
		const old = cycle({ id: 'old' });
		const renewed = cycle({ id: 'new', grantedAt: at(E, -20), expiresAt: at(E, 365), renewedFromId: 'old' });
		expect(dueNotices(defs, [old, renewed], [], at(E, -5))).toEqual([]);
		expect(dueNotices(defs, [renewed, old], [], at(E, 1))).toEqual([]);
		expect(kinds(dueNotices(defs, [old, renewed], [{ holdingId: 'old', kind: 'renewal_open' }], at(E, 335)))).toEqual(['tom/home-visit/renewal_open']);
	});

	it('an upgrade keeps the expiry, and with it the notices already sent for the earlier cycle', () => {
		const level1 = cycle({ id: 'l1' });
		const level2 = cycle({ id: 'l2', level: 2, grantedAt: at(E, -25), expiresAt: E, renewedFromId: 'l1' });
		const sent = [{ holdingId: 'l1', kind: 'renewal_open' }];
		expect(dueNotices(defs, [level1, level2], sent, at(E, -20))).toEqual([]);
		const next = dueNotices(defs, [level1, level2], sent, at(E, -5));
		expect(next.map((n) => [n.holding.id, n.kind])).toEqual([['l2', 'expiring_soon']]);
		// Without that earlier notice, the upgraded cycle gets the window notice itself.
		expect(dueNotices(defs, [level1, level2], [], at(E, -20)).map((n) => [n.holding.id, n.kind])).toEqual([['l2', 'renewal_open']]);
	});

	it('a fresh grant after a lapse is the latest cycle: the lapsed cycle gets no late "expired"', () => {
		const lapsed = cycle({ id: 'lapsed' });
		const fresh = cycle({ id: 'fresh', grantedAt: at(E, 2), expiresAt: at(E, 367) });
		expect(dueNotices(defs, [lapsed, fresh], [], at(E, 3))).toEqual([]);
		expect(kinds(dueNotices(defs, [lapsed], [], at(E, 3)))).toEqual(['tom/home-visit/expired']);
	});

	it('a revoked latest cycle gets nothing; a revocation dated later has not happened yet', () => {
		expect(dueNotices(defs, [cycle({ revokedAt: at(E, -40), revokeReason: 'x' })], [], at(E, -20))).toEqual([]);
		expect(dueNotices(defs, [cycle({ revokedAt: at(E, -40), revokeReason: 'x' })], [], E)).toEqual([]);
		expect(kinds(dueNotices(defs, [cycle({ revokedAt: at(E, -10), revokeReason: 'x' })], [], at(E, -20)))).toEqual(['tom/home-visit/renewal_open']);
	});

	it('a revoked cycle granted again: the new (latest) cycle counts, not the revoked one', () => {
		const revoked = cycle({ id: 'rv', grantedAt: at(E, -300), revokedAt: at(E, -100), revokeReason: 'x' });
		const again = cycle({ id: 'again', grantedAt: at(E, -50), expiresAt: at(E, 5) });
		expect(dueNotices(defs, [revoked, again], [], at(E, 0)).map((n) => [n.holding.id, n.kind])).toEqual([['again', 'expiring_soon']]);
	});

	it('a cycle not yet valid (scheduled) gets nothing', () => {
		expect(dueNotices(defs, [cycle({ grantedAt: at(E, -10) })], [], at(E, -20))).toEqual([]);
	});

	it('certifications no longer defined get nothing', () => {
		expect(dueNotices(defs, [cycle({ certificationId: 'retired' })], [], at(E, -20))).toEqual([]);
	});

	it('uses each certification\'s own window', () => {
		const a = cycle({ certificationId: 'home-visit' });
		const b = cycle({ certificationId: 'ro-install' });
		const c = cycle({ certificationId: 'no-window' });
		expect(kinds(dueNotices(defs, [a, b, c], [], at(E, -20)))).toEqual(['tom/home-visit/renewal_open']);
		expect(kinds(dueNotices(defs, [a, b, c], [], at(E, -6)))).toEqual(['tom/home-visit/expiring_soon', 'tom/no-window/expiring_soon', 'tom/ro-install/renewal_open']);
	});

	it('treats each technician separately and orders by due instant, technician, certification', () => {
		const ann = cycle({ userId: 'ann', expiresAt: at(E, 1) });
		const tom = cycle({ userId: 'tom' });
		const bob = cycle({ userId: 'bob' });
		const list = dueNotices(defs, [ann, tom, bob], [{ holdingId: bob.id, kind: 'renewal_open' }], at(E, -10));
		expect(list.map((n) => n.holding.userId)).toEqual(['tom', 'ann']);
	});

	it('leaves its inputs as they were', () => {
		const holdings = [cycle({ id: 'b' }), cycle({ id: 'a', grantedAt: at(E, -20), expiresAt: at(E, 365) })];
		const copy = structuredClone(holdings);
		const sent = [{ holdingId: 'a', kind: 'expired' }];
		dueNotices(defs, holdings, sent, at(E, -5));
		expect(holdings).toEqual(copy);
		expect(sent).toEqual([{ holdingId: 'a', kind: 'expired' }]);
	});

	it('refuses an unsound policy', () => {
		expect(() => dueNotices(defs, [], [], E, { daysBeforeExpiry: -1, expiredNoticeDays: 7 })).toThrow(RangeError);
		expect(() => validatePolicy({ daysBeforeExpiry: 1.5, expiredNoticeDays: 7 })).toThrow(RangeError);
		expect(() => validatePolicy({ daysBeforeExpiry: 7, expiredNoticeDays: 0 })).toThrow(RangeError);
		expect(() => validatePolicy({ daysBeforeExpiry: 366, expiredNoticeDays: 7 })).toThrow(RangeError);
	});

	it('at most one notice per technician and certification, and none again once recorded (any instant)', () => {
		const arb = fc.record({
			offsets: fc.array(fc.record({ granted: fc.integer({ min: -800, max: 0 }), length: fc.integer({ min: 1, max: 800 }), revoked: fc.option(fc.integer({ min: -800, max: 400 })) }), {
				minLength: 1,
				maxLength: 4
			}),
			now: fc.integer({ min: -800, max: 800 }),
			before: fc.integer({ min: 0, max: 60 })
		});
		fc.assert(
			fc.property(arb, ({ offsets, now, before }) => {
				const holdings = offsets.map((o, i) =>
					cycle({
						id: `p${i}`,
						grantedAt: at(E, o.granted),
						expiresAt: at(E, o.granted + o.length),
						revokedAt: o.revoked === null ? null : at(E, o.revoked),
						revokeReason: o.revoked === null ? null : 'r'
					})
				);
				const policy = { daysBeforeExpiry: before, expiredNoticeDays: 7 };
				const first = dueNotices(defs, holdings, [], at(E, now), policy);
				expect(first.length).toBeLessThanOrEqual(1);
				const recorded = first.map((n) => ({ holdingId: n.holding.id, kind: n.kind }));
				expect(dueNotices(defs, holdings, recorded, at(E, now), policy)).toEqual([]);
			})
		);
	});
});

describe('reminderPolicyFromEnv', () => {
	it('defaults to 7 days when unset or empty', () => {
		expect(reminderPolicyFromEnv(undefined)).toEqual(DEFAULT_REMINDER_POLICY);
		expect(reminderPolicyFromEnv('  ')).toEqual(DEFAULT_REMINDER_POLICY);
		expect(DEFAULT_REMINDER_POLICY.daysBeforeExpiry).toBe(7);
	});

	it('reads whole days 0–365', () => {
		expect(reminderPolicyFromEnv('14').daysBeforeExpiry).toBe(14);
		expect(reminderPolicyFromEnv(' 0 ').daysBeforeExpiry).toBe(0);
		expect(reminderPolicyFromEnv('365').daysBeforeExpiry).toBe(365);
	});

	it('names the variable when the value is not whole days in range', () => {
		for (const bad of ['-1', '1.5', 'seven', '366', '1e2', '0x10', '7d']) {
			expect(() => reminderPolicyFromEnv(bad), bad).toThrow(/REMINDER_DAYS_BEFORE_EXPIRY/);
		}
	});
});

describe('dueCourseReminders', () => {
	const now = new Date('2026-05-10T12:00:00Z');
	const a = (over: Partial<AssignmentFact>): AssignmentFact => ({ id: 'a1', userId: 'tom', courseSlug: 'complaints', dueAt: at(now, 2), complete: false, ...over });

	it('an unfinished assignment due within 3 days gets a reminder, from exactly 3 days before', () => {
		expect(dueCourseReminders([a({})], [], now)).toHaveLength(1);
		expect(dueCourseReminders([a({ dueAt: at(now, 3) })], [], now)).toHaveLength(1);
		expect(dueCourseReminders([a({ dueAt: at(now, 3, 1) })], [], now)).toEqual([]);
		expect(dueCourseReminders([a({ dueAt: at(now, 0, 1) })], [], now)).toHaveLength(1);
	});

	it('none once complete, overdue or due right now', () => {
		expect(dueCourseReminders([a({ complete: true })], [], now)).toEqual([]);
		expect(dueCourseReminders([a({ dueAt: at(now, -1) })], [], now)).toEqual([]);
		expect(dueCourseReminders([a({ dueAt: now })], [], now)).toEqual([]);
	});

	it('once per due date: a moved due date gets its own reminder', () => {
		const first = a({});
		expect(dueCourseReminders([first], [{ assignmentId: 'a1', dueAt: first.dueAt }], now)).toEqual([]);
		const moved = a({ dueAt: at(now, 1) });
		expect(dueCourseReminders([moved], [{ assignmentId: 'a1', dueAt: first.dueAt }], now)).toEqual([moved]);
		expect(dueCourseReminders([a({ id: 'a2' })], [{ assignmentId: 'a1', dueAt: first.dueAt }], now)).toHaveLength(1);
	});

	it('takes another window and keeps the input order', () => {
		const list = [a({ id: 'x', dueAt: at(now, 6) }), a({ id: 'y', dueAt: at(now, 1) })];
		expect(dueCourseReminders(list, [], now, 7).map((r) => r.id)).toEqual(['x', 'y']);
		expect(dueCourseReminders(list, [], now).map((r) => r.id)).toEqual(['y']);
	});
});
