import { describe, expect, it } from 'vitest';
import { evaluateEligibility, formatReason, type JobRequirement, type Reason } from './eligibility';
import { statusAt } from './lifecycle';
import type { Holding } from './types';

const DAY = 24 * 60 * 60 * 1000;

/** A UTC instant; a bare day means midnight UTC. */
function d(value: string): Date {
	return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

function plus(date: Date, ms: number): Date {
	return new Date(date.getTime() + ms);
}

/** Deterministic PRNG (mulberry32) for property-style loops. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let nextId = 0;
function holding(overrides: Partial<Holding> = {}): Holding {
	return {
		id: `h${++nextId}`,
		certificationId: 'etiquette',
		level: 1,
		grantedAt: d('2026-01-10'),
		expiresAt: d('2027-01-10'),
		revokedAt: null,
		revokeReason: null,
		renewedFromId: null,
		...overrides
	};
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
	}
	return value;
}

const etiquette: JobRequirement = { certificationId: 'etiquette', minLevel: 1 };
const at = d('2026-06-01T08:00:00Z');

describe('evaluateEligibility — met', () => {
	it('is eligible with no requirements', () => {
		expect(evaluateEligibility([], [], at)).toEqual({ eligible: true, reasons: [] });
	});

	it('is eligible with a valid holding of the level', () => {
		expect(evaluateEligibility([etiquette], [holding()], at)).toEqual({ eligible: true, reasons: [] });
		expect(evaluateEligibility([{ certificationId: 'etiquette', minLevel: 2 }], [holding({ level: 3 })], at)).toEqual({ eligible: true, reasons: [] });
		expect(evaluateEligibility([{ certificationId: 'etiquette', minLevel: 2 }], [holding({ level: 2 })], at).eligible).toBe(true);
	});

	it('treats a holding as valid from exactly grantedAt', () => {
		expect(evaluateEligibility([etiquette], [holding({ grantedAt: at })], at).eligible).toBe(true);
	});

	it('treats a holding as valid up to just before expiresAt', () => {
		expect(evaluateEligibility([etiquette], [holding({ expiresAt: plus(at, 1) })], at).eligible).toBe(true);
	});

	it('ignores a revocation dated after at', () => {
		expect(evaluateEligibility([etiquette], [holding({ revokedAt: plus(at, 1), revokeReason: 'x' })], at).eligible).toBe(true);
	});

	it('accepts a holding that expires exactly at the job end', () => {
		const jobEnd = d('2026-06-03');
		expect(evaluateEligibility([etiquette], [holding({ expiresAt: jobEnd })], at, jobEnd).eligible).toBe(true);
	});

	it('ignores jobEnd when it is not after at', () => {
		const h = holding({ expiresAt: plus(at, DAY) });
		expect(evaluateEligibility([etiquette], [h], at, at).eligible).toBe(true);
		expect(evaluateEligibility([etiquette], [h], at, plus(at, -DAY)).eligible).toBe(true);
	});

	it('one old expired holding and one current valid holding → eligible', () => {
		const old = holding({ grantedAt: d('2024-01-10'), expiresAt: d('2025-01-10') });
		const current = holding({ grantedAt: d('2025-03-01'), expiresAt: d('2026-03-01T00:00:00Z') });
		const renewed = holding({ grantedAt: d('2026-02-20'), expiresAt: d('2027-03-01') });
		expect(evaluateEligibility([etiquette], [old, renewed, current], at)).toEqual({ eligible: true, reasons: [] });
	});

	it('an older revoked holding does not block a current valid one', () => {
		const revoked = holding({ grantedAt: d('2025-01-10'), expiresAt: d('2026-01-10'), revokedAt: d('2025-04-01'), revokeReason: 'complaint' });
		expect(evaluateEligibility([etiquette], [holding({ grantedAt: d('2026-01-10') }), revoked], at).eligible).toBe(true);
	});

	it('any one holding that satisfies everything is enough', () => {
		const lowLong = holding({ level: 1, expiresAt: d('2027-01-10') });
		const highLong = holding({ level: 2, grantedAt: d('2026-03-01'), expiresAt: d('2027-01-10') });
		const highShort = holding({ level: 3, grantedAt: d('2026-04-01'), expiresAt: d('2026-06-02') });
		const result = evaluateEligibility([{ certificationId: 'etiquette', minLevel: 2 }], [lowLong, highShort, highLong], at, d('2026-06-30'));
		expect(result).toEqual({ eligible: true, reasons: [] });
	});
});

describe('evaluateEligibility — one reason per unmet requirement', () => {
	it('missing when never held (holdings of other certifications do not count)', () => {
		const other = holding({ certificationId: 'gas-safety' });
		expect(evaluateEligibility([etiquette], [other], at)).toEqual({ eligible: false, reasons: [{ certificationId: 'etiquette', code: 'missing' }] });
	});

	it('expired exactly at expiresAt, on that instant', () => {
		expect(evaluateEligibility([etiquette], [holding({ expiresAt: at })], at).reasons).toEqual([{ code: 'expired', certificationId: 'etiquette', on: at }]);
	});

	it('revoked exactly at revokedAt, with its reason and date', () => {
		const revokedAt = at;
		expect(evaluateEligibility([etiquette], [holding({ revokedAt, revokeReason: 'complaint' })], at).reasons).toEqual([
			{ code: 'revoked', certificationId: 'etiquette', reason: 'complaint', on: revokedAt }
		]);
	});

	it('revoked without a recorded reason gives an empty reason', () => {
		expect(evaluateEligibility([etiquette], [holding({ revokedAt: d('2026-04-02') })], at).reasons).toEqual([
			{ code: 'revoked', certificationId: 'etiquette', reason: '', on: d('2026-04-02') }
		]);
	});

	it('not-yet-valid just before grantedAt, from that instant', () => {
		const grantedAt = plus(at, 1);
		expect(evaluateEligibility([etiquette], [holding({ grantedAt })], at).reasons).toEqual([{ code: 'not-yet-valid', certificationId: 'etiquette', from: grantedAt }]);
	});

	it('not-yet-valid: the earliest upcoming holding with the level wins over an earlier one without', () => {
		const low = holding({ level: 1, grantedAt: d('2026-07-01'), expiresAt: d('2027-07-01') });
		const high = holding({ level: 2, grantedAt: d('2026-08-01'), expiresAt: d('2027-08-01') });
		const later = holding({ level: 2, grantedAt: d('2026-09-01'), expiresAt: d('2027-09-01') });
		const need2 = { certificationId: 'etiquette', minLevel: 2 };
		expect(evaluateEligibility([need2], [later, low, high], at).reasons).toEqual([{ code: 'not-yet-valid', certificationId: 'etiquette', from: d('2026-08-01') }]);
		expect(evaluateEligibility([need2], [low], at).reasons).toEqual([{ code: 'not-yet-valid', certificationId: 'etiquette', from: d('2026-07-01') }]);
	});

	it('an upcoming holding revoked before it starts does not count: missing', () => {
		const cancelled = holding({ grantedAt: d('2026-07-01'), revokedAt: d('2026-05-01'), revokeReason: 'cancelled' });
		expect(evaluateEligibility([etiquette], [cancelled], at).reasons).toEqual([{ certificationId: 'etiquette', code: 'missing' }]);
	});

	it('level-too-low reports the best valid level and the required one', () => {
		const result = evaluateEligibility([{ certificationId: 'etiquette', minLevel: 3 }], [holding({ level: 1 }), holding({ level: 2 })], at);
		expect(result).toEqual({ eligible: false, reasons: [{ code: 'level-too-low', certificationId: 'etiquette', level: 2, required: 3 }] });
	});

	it('level-too-low ignores the levels of holdings that are not valid', () => {
		const expiredHigh = holding({ level: 3, grantedAt: d('2024-01-01'), expiresAt: d('2025-01-01') });
		const result = evaluateEligibility([{ certificationId: 'etiquette', minLevel: 2 }], [expiredHigh, holding({ level: 1 })], at);
		expect(result.reasons).toEqual([{ code: 'level-too-low', certificationId: 'etiquette', level: 1, required: 2 }]);
	});

	it('expires-before-job when a valid holding ends during the job (at < expiresAt < jobEnd)', () => {
		const jobEnd = d('2026-06-05');
		const expires = d('2026-06-03');
		expect(evaluateEligibility([etiquette], [holding({ expiresAt: expires })], at, jobEnd).reasons).toEqual([
			{ code: 'expires-before-job', certificationId: 'etiquette', on: expires }
		]);
		expect(evaluateEligibility([etiquette], [holding({ expiresAt: plus(jobEnd, -1) })], at, jobEnd).reasons[0]?.code).toBe('expires-before-job');
		expect(evaluateEligibility([etiquette], [holding({ expiresAt: expires })], at).eligible).toBe(true);
	});

	it('expires-before-job reports the latest expiry among valid holdings of the level', () => {
		const a = holding({ expiresAt: d('2026-06-02') });
		const b = holding({ grantedAt: d('2026-02-01'), expiresAt: d('2026-06-04') });
		expect(evaluateEligibility([etiquette], [b, a], at, d('2026-06-10')).reasons).toEqual([
			{ code: 'expires-before-job', certificationId: 'etiquette', on: d('2026-06-04') }
		]);
	});
});

describe('evaluateEligibility — priority between reasons', () => {
	const need2 = { certificationId: 'etiquette', minLevel: 2 };
	const jobEnd = d('2026-06-10');

	it('level-too-low comes before expires-before-job', () => {
		expect(evaluateEligibility([need2], [holding({ level: 1, expiresAt: d('2026-06-03') })], at, jobEnd).reasons).toEqual([
			{ code: 'level-too-low', certificationId: 'etiquette', level: 1, required: 2 }
		]);
	});

	it('level-too-low comes before a revoked most recent holding', () => {
		const valid = holding({ level: 1 });
		const revoked = holding({ level: 2, grantedAt: d('2026-03-01'), revokedAt: d('2026-04-02'), revokeReason: 'x' });
		expect(evaluateEligibility([need2], [valid, revoked], at).reasons[0]?.code).toBe('level-too-low');
	});

	it('a lower-level predecessor of an upgrade is not reported as level-too-low: the real problem is the expiry', () => {
		const before = holding({ level: 1, grantedAt: d('2025-06-03'), expiresAt: d('2026-06-03') });
		const upgrade = holding({ level: 2, grantedAt: d('2026-02-01'), expiresAt: d('2026-06-03'), renewedFromId: before.id });
		expect(evaluateEligibility([need2], [before, upgrade], at, jobEnd).reasons).toEqual([
			{ code: 'expires-before-job', certificationId: 'etiquette', on: d('2026-06-03') }
		]);
	});

	it('revoked most recent comes before expires-before-job of an older holding', () => {
		const older = holding({ grantedAt: d('2025-06-05'), expiresAt: d('2026-06-05') });
		const renewal = holding({ grantedAt: d('2026-05-10'), expiresAt: d('2027-06-05'), revokedAt: d('2026-05-20'), revokeReason: 'fraud', renewedFromId: older.id });
		expect(evaluateEligibility([etiquette], [renewal, older], at, jobEnd).reasons).toEqual([
			{ code: 'revoked', certificationId: 'etiquette', reason: 'fraud', on: d('2026-05-20') }
		]);
	});

	it('revoked most recent comes before an older expiry', () => {
		const expired = holding({ grantedAt: d('2024-01-01'), expiresAt: d('2025-01-01') });
		const revoked = holding({ grantedAt: d('2025-02-01'), expiresAt: d('2026-02-01'), revokedAt: d('2025-08-01'), revokeReason: 'audit' });
		expect(evaluateEligibility([etiquette], [expired, revoked], at).reasons).toEqual([{ code: 'revoked', certificationId: 'etiquette', reason: 'audit', on: d('2025-08-01') }]);
	});

	it('expired most recent comes before an older revocation', () => {
		const revoked = holding({ grantedAt: d('2024-01-01'), expiresAt: d('2025-01-01'), revokedAt: d('2024-06-01'), revokeReason: 'audit' });
		const expired = holding({ grantedAt: d('2025-02-01'), expiresAt: d('2026-02-01') });
		expect(evaluateEligibility([etiquette], [revoked, expired], at).reasons).toEqual([{ code: 'expired', certificationId: 'etiquette', on: d('2026-02-01') }]);
	});

	it('a holding both revoked and expired reads as revoked', () => {
		const both = holding({ grantedAt: d('2025-01-01'), expiresAt: d('2026-01-01'), revokedAt: d('2026-03-01'), revokeReason: 'cleanup' });
		expect(evaluateEligibility([etiquette], [both], at).reasons[0]?.code).toBe('revoked');
	});

	it('expired comes before not-yet-valid', () => {
		const expired = holding({ grantedAt: d('2025-01-01'), expiresAt: d('2026-01-01') });
		const upcoming = holding({ grantedAt: d('2026-07-01'), expiresAt: d('2027-07-01') });
		expect(evaluateEligibility([etiquette], [upcoming, expired], at).reasons).toEqual([{ code: 'expired', certificationId: 'etiquette', on: d('2026-01-01') }]);
	});

	it('expires-before-job comes before not-yet-valid', () => {
		const ending = holding({ expiresAt: d('2026-06-03') });
		const upcoming = holding({ grantedAt: d('2026-06-03'), expiresAt: d('2027-06-03') });
		expect(evaluateEligibility([etiquette], [ending, upcoming], at, jobEnd).reasons[0]?.code).toBe('expires-before-job');
	});
});

describe('evaluateEligibility — several requirements', () => {
	it('gives one reason per unmet requirement, in the order of the requirements, none for met ones', () => {
		const requirements: JobRequirement[] = [
			{ certificationId: 'etiquette', minLevel: 1 },
			{ certificationId: 'gas-safety', minLevel: 2 },
			{ certificationId: 'heights', minLevel: 1 },
			{ certificationId: 'electrical', minLevel: 1 },
			{ certificationId: 'customer-data', minLevel: 1 },
			{ certificationId: 'refrigerants', minLevel: 1 },
			{ certificationId: 'lifting', minLevel: 1 }
		];
		const holdings = [
			holding({ certificationId: 'etiquette' }),
			holding({ certificationId: 'gas-safety', level: 1 }),
			holding({ certificationId: 'heights', expiresAt: d('2026-05-01') }),
			holding({ certificationId: 'electrical', revokedAt: d('2026-04-02'), revokeReason: 'unsafe work' }),
			holding({ certificationId: 'customer-data', expiresAt: d('2026-06-03') }),
			holding({ certificationId: 'refrigerants', grantedAt: d('2026-07-01'), expiresAt: d('2027-07-01') })
		];
		expect(evaluateEligibility(requirements, holdings, at, d('2026-06-05'))).toEqual({
			eligible: false,
			reasons: [
				{ code: 'level-too-low', certificationId: 'gas-safety', level: 1, required: 2 },
				{ code: 'expired', certificationId: 'heights', on: d('2026-05-01') },
				{ code: 'revoked', certificationId: 'electrical', reason: 'unsafe work', on: d('2026-04-02') },
				{ code: 'expires-before-job', certificationId: 'customer-data', on: d('2026-06-03') },
				{ code: 'not-yet-valid', certificationId: 'refrigerants', from: d('2026-07-01') },
				{ certificationId: 'lifting', code: 'missing' }
			]
		});
	});

	it('is eligible only when every requirement is met', () => {
		const requirements = [etiquette, { certificationId: 'gas-safety', minLevel: 1 }];
		expect(evaluateEligibility(requirements, [holding(), holding({ certificationId: 'gas-safety' })], at).eligible).toBe(true);
		expect(evaluateEligibility(requirements, [holding()], at)).toEqual({ eligible: false, reasons: [{ certificationId: 'gas-safety', code: 'missing' }] });
	});
});

describe('evaluateEligibility — properties', () => {
	const certs = ['a', 'b', 'c'];

	function randomCase(random: () => number) {
		const base = Date.UTC(2026, 0, 1);
		const when = () => new Date(base + Math.floor(random() * 60) * DAY);
		const holdings: Holding[] = [];
		for (let i = 0, n = Math.floor(random() * 7); i < n; i++) {
			const grantedAt = when();
			const revoked = random() < 0.3;
			holdings.push(
				holding({
					certificationId: certs[Math.floor(random() * certs.length)]!,
					level: 1 + Math.floor(random() * 3),
					grantedAt,
					expiresAt: plus(grantedAt, (1 + Math.floor(random() * 40)) * DAY),
					revokedAt: revoked ? plus(grantedAt, Math.floor(random() * 50 - 5) * DAY) : null,
					revokeReason: revoked && random() < 0.8 ? 'audit' : null
				})
			);
		}
		const requirements = certs.filter(() => random() < 0.7).map((certificationId) => ({ certificationId, minLevel: 1 + Math.floor(random() * 3) }));
		const t = when();
		const jobEnd = random() < 0.5 ? undefined : plus(t, Math.floor(random() * 10) * DAY);
		return { holdings, requirements, t, jobEnd };
	}

	it('matches a brute-force oracle and gives exactly one reason per unmet requirement', () => {
		const random = rng(11);
		const seen = new Set<Reason['code']>();
		for (let i = 0; i < 2000; i++) {
			const { holdings, requirements, t, jobEnd } = randomCase(random);
			const satisfied = (r: JobRequirement) =>
				holdings.some(
					(h) =>
						h.certificationId === r.certificationId &&
						h.grantedAt <= t &&
						t < h.expiresAt &&
						!(h.revokedAt && h.revokedAt <= t) &&
						h.level >= r.minLevel &&
						(!jobEnd || h.expiresAt >= jobEnd)
				);
			const result = evaluateEligibility(requirements, holdings, t, jobEnd);
			const unmet = requirements.filter((r) => !satisfied(r));
			expect(result.eligible).toBe(unmet.length === 0);
			expect(result.reasons.map((r) => r.certificationId)).toEqual(unmet.map((r) => r.certificationId));
			for (const reason of result.reasons) {
				seen.add(reason.code);
				const own = holdings.filter((h) => h.certificationId === reason.certificationId);
				if (reason.code === 'missing') expect(own.every((h) => h.grantedAt > t)).toBe(true);
				if (reason.code === 'expired') expect(reason.on.getTime()).toBeLessThanOrEqual(t.getTime());
				if (reason.code === 'revoked') expect(reason.on.getTime()).toBeLessThanOrEqual(t.getTime());
				if (reason.code === 'not-yet-valid') expect(reason.from.getTime()).toBeGreaterThan(t.getTime());
				if (reason.code === 'level-too-low') expect(reason.level).toBeLessThan(reason.required);
				if (reason.code === 'expires-before-job') {
					expect(reason.on.getTime()).toBeGreaterThan(t.getTime());
					expect(reason.on.getTime()).toBeLessThan(jobEnd!.getTime());
				}
			}
		}
		expect([...seen].sort()).toEqual(['expired', 'expires-before-job', 'level-too-low', 'missing', 'not-yet-valid', 'revoked']);
	});

	it('does not depend on the order of the holdings', () => {
		const random = rng(12);
		for (let i = 0; i < 300; i++) {
			const { holdings, requirements, t, jobEnd } = randomCase(random);
			const expected = evaluateEligibility(requirements, holdings, t, jobEnd);
			const shuffled = [...holdings].sort(() => random() - 0.5);
			expect(evaluateEligibility(requirements, shuffled, t, jobEnd)).toEqual(expected);
		}
	});

	it('agrees with statusAt for a single holding: eligible exactly while active or renewal-due', () => {
		const h = holding({ grantedAt: d('2026-01-10'), expiresAt: d('2026-03-10'), revokedAt: d('2026-03-01'), revokeReason: 'x' });
		for (let t = d('2026-01-01').getTime(); t < d('2026-03-20').getTime(); t += 5 * 3_600_000) {
			const status = statusAt(h, { renewalWindowDays: 10 }, new Date(t));
			const eligible = evaluateEligibility([etiquette], [h], new Date(t)).eligible;
			expect(eligible, new Date(t).toISOString()).toBe(status === 'active' || status === 'renewal-due');
		}
	});

	it('never mutates its inputs and returns fresh Dates', () => {
		const holdings = deepFreeze([
			holding({ expiresAt: d('2026-05-01') }),
			holding({ grantedAt: d('2026-02-01'), revokedAt: d('2026-03-01'), revokeReason: 'x' }),
			holding({ certificationId: 'b', grantedAt: d('2026-07-01') })
		]);
		const requirements = deepFreeze([etiquette, { certificationId: 'b', minLevel: 1 }]);
		const before = JSON.stringify({ holdings, requirements, at });
		const result = evaluateEligibility(requirements, holdings, at, d('2026-06-10'));
		expect(result.reasons.map((r) => r.code)).toEqual(['revoked', 'not-yet-valid']);
		for (const reason of result.reasons) {
			if (reason.code === 'revoked') reason.on.setTime(0);
			if (reason.code === 'not-yet-valid') reason.from.setTime(0);
		}
		expect(JSON.stringify({ holdings, requirements, at })).toBe(before);
	});
});

describe('formatReason', () => {
	const titles = { etiquette: 'Home visit etiquette' };
	const zhTitles = { etiquette: '上门服务礼仪' };
	const cases: Array<[Reason, string, string]> = [
		[{ certificationId: 'etiquette', code: 'missing' }, 'Does not hold Home visit etiquette.', '未持有上门服务礼仪认证。'],
		[{ code: 'expired', certificationId: 'etiquette', on: d('2026-05-01') }, 'Home visit etiquette expired on 2026-05-01.', '上门服务礼仪已于 2026-05-01 过期。'],
		[
			{ code: 'expires-before-job', certificationId: 'etiquette', on: d('2026-06-03T15:00:00Z') },
			'Home visit etiquette expires on 2026-06-03, before the job ends.',
			'上门服务礼仪将于 2026-06-03 过期，早于工作结束。'
		],
		[
			{ code: 'revoked', certificationId: 'etiquette', reason: 'customer complaint', on: d('2026-04-02') },
			'Home visit etiquette was revoked on 2026-04-02 (reason: customer complaint).',
			'上门服务礼仪已于 2026-04-02 被撤销（原因：customer complaint）。'
		],
		[{ code: 'revoked', certificationId: 'etiquette', reason: '', on: d('2026-04-02') }, 'Home visit etiquette was revoked on 2026-04-02.', '上门服务礼仪已于 2026-04-02 被撤销。'],
		[
			{ code: 'level-too-low', certificationId: 'etiquette', level: 1, required: 2 },
			'Holds level 1 of Home visit etiquette; the job needs level 2.',
			'持有上门服务礼仪等级 1；该工作需要等级 2。'
		],
		[{ code: 'not-yet-valid', certificationId: 'etiquette', from: d('2026-07-01') }, 'Home visit etiquette is valid only from 2026-07-01.', '上门服务礼仪自 2026-07-01 起才生效。']
	];

	it('writes each reason as a sentence in English', () => {
		for (const [reason, en] of cases) expect(formatReason(reason, titles, 'en', 'Asia/Shanghai')).toBe(en);
	});

	it('writes each reason as a sentence in Simplified Chinese', () => {
		for (const [reason, , zh] of cases) expect(formatReason(reason, zhTitles, 'zh-CN', 'Asia/Shanghai')).toBe(zh);
	});

	it('reads as a sentence: a capital or a title first, a full stop last, no symbols', () => {
		for (const [reason, en, zh] of cases) {
			expect(en, en).toMatch(/^[A-Z].*\.$/);
			expect(en.replace(/\(reason: .*\)/, ''), en).not.toMatch(/[<>:]/);
			expect(zh, zh).toMatch(/。$/);
		}
	});

	it('shows dates as calendar days in the zone given (the organisation’s)', () => {
		const late = d('2026-05-01T20:00:00Z');
		expect(formatReason({ code: 'expired', certificationId: 'etiquette', on: late }, titles, 'en', 'UTC')).toBe('Home visit etiquette expired on 2026-05-01.');
		expect(formatReason({ code: 'expired', certificationId: 'etiquette', on: late }, titles, 'en', 'Asia/Shanghai')).toBe('Home visit etiquette expired on 2026-05-02.');
		expect(formatReason({ code: 'expired', certificationId: 'etiquette', on: d('2026-05-02T02:00:00Z') }, titles, 'en', 'America/New_York')).toBe('Home visit etiquette expired on 2026-05-01.');
	});

	it('falls back to the certification id when the title is unknown or empty', () => {
		expect(formatReason({ certificationId: 'gas-safety', code: 'missing' }, titles, 'en')).toBe('Does not hold gas-safety.');
		expect(formatReason({ certificationId: 'gas-safety', code: 'missing' }, { 'gas-safety': '' }, 'zh-CN')).toBe('未持有gas-safety认证。');
	});

	it('formats every reason evaluateEligibility produces, mentioning the title', () => {
		const result = evaluateEligibility(
			[etiquette, { certificationId: 'b', minLevel: 1 }],
			[holding({ expiresAt: d('2026-05-01') })],
			at
		);
		expect(result.reasons.map((r) => formatReason(r, { etiquette: 'Home visit etiquette', b: 'Brazing' }, 'en'))).toEqual([
			'Home visit etiquette expired on 2026-05-01.',
			'Does not hold Brazing.'
		]);
	});
});
