import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	EVIDENCE_TEXT_MAX,
	REVOKE_REASON_MAX,
	currentStanding,
	decideManualGrant,
	decideManualRevoke,
	readEvidence,
	textProblem
} from './manual-rules';
import { decideGrant, statusAt } from './lifecycle';
import type { CertificationDefinition, Holding } from './types';

const DAY = 24 * 60 * 60 * 1000;
const d = (value: string) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

/** 365 days, renewal window 30 days, three levels. */
const def: CertificationDefinition = {
	id: 'etiquette',
	title: { en: 'Home visit etiquette' },
	levels: 3,
	validityDays: 365,
	renewalWindowDays: 30,
	requirements: [[{ kind: 'course', course: 'a' }], [{ kind: 'course', course: 'b' }], [{ kind: 'course', course: 'c' }]],
	renewal: [{ kind: 'course', course: 'r' }]
};

let ids = 0;
function cycle(over: Partial<Holding> = {}): Holding {
	const grantedAt = over.grantedAt ?? d('2026-01-01');
	return {
		id: `h${++ids}`,
		certificationId: 'etiquette',
		level: 1,
		grantedAt,
		expiresAt: plus(grantedAt, 365 * DAY),
		revokedAt: null,
		revokeReason: null,
		renewedFromId: null,
		...over
	};
}

const now = d('2026-06-01T09:30:00Z');

describe('textProblem', () => {
	it('asks for text, trims it and counts its length', () => {
		expect(textProblem('', 10)).toBe('required');
		expect(textProblem(' \n\t ', 10)).toBe('required');
		expect(textProblem('  ok  ', 2)).toBeNull();
		expect(textProblem('x'.repeat(11), 10)).toBe('too-long');
		expect(textProblem('撤'.repeat(10), 10)).toBeNull();
		expect(EVIDENCE_TEXT_MAX).toBe(2000);
		expect(REVOKE_REASON_MAX).toBe(500);
	});
});

describe('decideManualGrant', () => {
	it('grants a new cycle from now when nothing is held', () => {
		expect(decideManualGrant(def, [], 2, now)).toEqual({ action: 'grant', level: 2, grantedAt: now, expiresAt: d('2027-06-01T09:30:00Z'), renewedFromId: null });
	});

	it('grants anew when every cycle has ended (expired or revoked), and ignores other certifications', () => {
		const expired = cycle({ grantedAt: d('2025-01-01'), level: 3 });
		const revoked = cycle({ grantedAt: d('2026-02-01'), level: 3, revokedAt: d('2026-03-01'), revokeReason: 'fraud' });
		const other = cycle({ certificationId: 'other', level: 3 });
		expect(decideManualGrant(def, [expired, revoked, other], 1, now)).toMatchObject({ action: 'grant', level: 1, renewedFromId: null });
	});

	it('upgrades a valid lower level with a full new validity, linked to the latest valid cycle', () => {
		const first = cycle({ level: 1 });
		const renewed = cycle({ level: 1, grantedAt: d('2026-05-01'), expiresAt: d('2027-12-31'), renewedFromId: first.id });
		expect(decideManualGrant(def, [renewed, first], 3, now)).toEqual({
			action: 'upgrade',
			level: 3,
			fromLevel: 1,
			grantedAt: now,
			expiresAt: d('2027-06-01T09:30:00Z'),
			renewedFromId: renewed.id
		});
	});

	it('upgrades a cycle that is in its renewal window', () => {
		const due = cycle({ grantedAt: d('2025-06-15') });
		expect(statusAt(due, def, now)).toBe('renewal-due');
		expect(decideManualGrant(def, [due], 2, now)).toMatchObject({ action: 'upgrade', renewedFromId: due.id });
	});

	it('refuses the same or a lower level than a valid cycle holds', () => {
		const held = cycle({ level: 2 });
		expect(decideManualGrant(def, [held], 2, now)).toEqual({ action: 'refuse', code: 'already-held', level: 2, expiresAt: held.expiresAt });
		expect(decideManualGrant(def, [held], 1, now)).toMatchObject({ action: 'refuse', code: 'already-held', level: 2 });
	});

	it('names the highest valid level and its latest expiry when refusing', () => {
		const low = cycle({ level: 1, expiresAt: d('2028-01-01') });
		const high = cycle({ level: 2, expiresAt: d('2026-12-01') });
		const alsoHigh = cycle({ level: 2, grantedAt: d('2026-02-01'), expiresAt: d('2027-02-01') });
		expect(decideManualGrant(def, [low, high, alsoHigh], 1, now)).toEqual({ action: 'refuse', code: 'already-held', level: 2, expiresAt: d('2027-02-01') });
	});

	it('refuses a level outside 1..levels, or not a whole number', () => {
		for (const level of [0, -1, 4, 1.5, Number.NaN]) {
			expect(decideManualGrant(def, [], level, now)).toEqual({ action: 'refuse', code: 'level-out-of-range', levels: 3 });
		}
		expect(decideManualGrant({ ...def, levels: 1, requirements: [def.requirements[0]!] }, [], 2, now)).toMatchObject({ code: 'level-out-of-range', levels: 1 });
	});

	it('refuses while a cycle is scheduled to start later', () => {
		const later = cycle({ grantedAt: d('2026-07-01') });
		expect(decideManualGrant(def, [later], 1, now)).toEqual({ action: 'refuse', code: 'scheduled', from: d('2026-07-01') });
	});

	it('throws on a broken definition', () => {
		expect(() => decideManualGrant({ ...def, levels: 4 }, [], 1, now)).toThrow(RangeError);
	});

	it('the cycle it makes is valid now, and asking again for the same level is refused', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						level: fc.integer({ min: 1, max: 3 }),
						startDays: fc.integer({ min: -800, max: 0 }),
						lengthDays: fc.integer({ min: 1, max: 800 }),
						revokedAfterDays: fc.option(fc.integer({ min: 0, max: 900 }))
					}),
					{ maxLength: 5 }
				),
				fc.integer({ min: 1, max: 3 }),
				(specs, level) => {
					const held = specs.map((s) =>
						cycle({
							level: s.level,
							grantedAt: plus(now, s.startDays * DAY),
							expiresAt: plus(now, (s.startDays + s.lengthDays) * DAY),
							revokedAt: s.revokedAfterDays === null ? null : plus(now, (s.startDays + s.revokedAfterDays) * DAY)
						})
					);
					const decision = decideManualGrant(def, held, level, now);
					if (decision.action === 'refuse') {
						expect(decision.code).toBe('already-held');
						return;
					}
					const made = cycle({ level: decision.level, grantedAt: decision.grantedAt, expiresAt: decision.expiresAt, renewedFromId: decision.renewedFromId });
					expect(statusAt(made, def, now)).toBe('active');
					expect(decideManualGrant(def, [...held, made], level, now)).toMatchObject({ action: 'refuse', code: 'already-held', level });
				}
			)
		);
	});
});

describe('decideManualRevoke', () => {
	it('revokes a valid cycle with the trimmed reason, at now', () => {
		const held = cycle();
		expect(decideManualRevoke(def, [held], held.id, '  Faked the exam  ', now)).toEqual({ action: 'revoke', holdingIds: [held.id], revokedAt: now, reason: 'Faked the exam' });
	});

	it('revokes every cycle of the certification that has not ended, so nothing valid is left', () => {
		const expired = cycle({ grantedAt: d('2024-01-01') });
		const first = cycle({ level: 1, grantedAt: d('2025-07-01') });
		const upgrade = cycle({ level: 2, grantedAt: d('2026-03-01'), expiresAt: first.expiresAt, renewedFromId: first.id });
		const other = cycle({ certificationId: 'other' });
		const decision = decideManualRevoke(def, [upgrade, other, expired, first], upgrade.id, 'Complaint upheld', now);
		expect(decision).toMatchObject({ action: 'revoke', holdingIds: [first.id, upgrade.id] });
		// Revoking the older cycle of the chain ends the newer one too.
		expect(decideManualRevoke(def, [upgrade, first], first.id, 'Complaint upheld', now)).toMatchObject({ holdingIds: [first.id, upgrade.id] });
		// Afterwards the technician holds nothing valid, and an automatic grant needs new evidence.
		const after = [first, upgrade].map((h) => ({ ...h, revokedAt: now, revokeReason: 'Complaint upheld' }));
		expect(currentStanding(def, after, now)).toMatchObject({ status: 'revoked' });
		const oldEvidence = { coursesCompleted: [{ course: 'a', at: d('2025-06-01') }], quizBest: [], scenarioBest: [] };
		expect(decideGrant(def, after, oldEvidence, plus(now, 1000))).toEqual({ action: 'none' });
	});

	it('refuses an unknown, revoked, expired or not yet started cycle', () => {
		const revoked = cycle({ revokedAt: d('2026-05-01'), revokeReason: 'x' });
		const expired = cycle({ grantedAt: d('2025-01-01') });
		const later = cycle({ grantedAt: d('2026-09-01') });
		expect(decideManualRevoke(def, [revoked], 'nope', 'why', now)).toEqual({ action: 'refuse', code: 'not-found' });
		expect(decideManualRevoke(def, [revoked], revoked.id, 'why', now)).toEqual({ action: 'refuse', code: 'already-revoked' });
		expect(decideManualRevoke(def, [expired], expired.id, 'why', now)).toEqual({ action: 'refuse', code: 'expired' });
		expect(decideManualRevoke(def, [later], later.id, 'why', now)).toEqual({ action: 'refuse', code: 'not-yet-valid' });
	});

	it('needs a reason of at most 500 characters', () => {
		const held = cycle();
		expect(decideManualRevoke(def, [held], held.id, '   ', now)).toEqual({ action: 'refuse', code: 'reason-required' });
		expect(decideManualRevoke(def, [held], held.id, 'x'.repeat(501), now)).toEqual({ action: 'refuse', code: 'reason-too-long' });
		expect(decideManualRevoke(def, [held], held.id, 'x'.repeat(500), now)).toMatchObject({ action: 'revoke' });
	});

	it('revokes a cycle whose certification is no longer defined (renewal window 0)', () => {
		const held = cycle({ certificationId: 'gone' });
		expect(decideManualRevoke({ renewalWindowDays: 0 }, [held], held.id, 'Retired', now)).toMatchObject({ action: 'revoke', holdingIds: [held.id] });
	});
});

describe('currentStanding', () => {
	it('is none without cycles, and the best valid cycle otherwise', () => {
		expect(currentStanding(def, [], now)).toEqual({ status: 'none', level: 0, expiresAt: null, holdingId: null });
		const low = cycle({ level: 1, expiresAt: d('2027-06-01') });
		const high = cycle({ level: 2, grantedAt: d('2026-04-01'), expiresAt: d('2026-06-20') });
		expect(currentStanding(def, [high, low], now)).toEqual({ status: 'renewal-due', level: 2, expiresAt: d('2026-06-20'), holdingId: high.id });
	});

	it('shows the latest cycle when none is valid', () => {
		const old = cycle({ grantedAt: d('2024-01-01') });
		const revoked = cycle({ grantedAt: d('2025-09-01'), level: 2, revokedAt: d('2026-01-01'), revokeReason: 'r' });
		expect(currentStanding(def, [revoked, old], now)).toEqual({ status: 'revoked', level: 2, expiresAt: revoked.expiresAt, holdingId: revoked.id });
	});
});

describe('readEvidence', () => {
	it('reads requirements met, notes and anything else', () => {
		const stored = [
			{ kind: 'course', course: 'home-visit', at: '2026-03-01T10:00:00.000Z' },
			{ kind: 'quiz', course: 'home-visit', quiz: 'final-exam', minScore: 80, at: '2026-03-02T10:00:00.000Z' },
			{ kind: 'scenario', course: 'complaints', scenario: 'leaking-purifier', minScore: 70, at: 'not a date' },
			{ kind: 'note', text: 'Observed on site', at: '2026-03-03T10:00:00.000Z' },
			{ kind: 'manual', text: 'Recorded by the training team.' },
			{ kind: 'quiz', course: 'x' },
			'free text',
			null
		];
		expect(readEvidence(stored)).toEqual([
			{ kind: 'course', course: 'home-visit', at: d('2026-03-01T10:00:00.000Z') },
			{ kind: 'quiz', course: 'home-visit', quiz: 'final-exam', minScore: 80, at: d('2026-03-02T10:00:00.000Z') },
			{ kind: 'scenario', course: 'complaints', scenario: 'leaking-purifier', minScore: 70, at: null },
			{ kind: 'note', text: 'Observed on site', at: d('2026-03-03T10:00:00.000Z') },
			{ kind: 'note', text: 'Recorded by the training team.', at: null },
			{ kind: 'other', text: '{"kind":"quiz","course":"x"}' },
			{ kind: 'other', text: '"free text"' },
			{ kind: 'other', text: 'null' }
		]);
	});

	it('reads a missing value as nothing, and a lone object as one item', () => {
		expect(readEvidence(null)).toEqual([]);
		expect(readEvidence(undefined)).toEqual([]);
		expect(readEvidence({ kind: 'note', text: 'x' })).toEqual([{ kind: 'note', text: 'x', at: null }]);
	});
});
