import { describe, expect, it } from 'vitest';
import {
	compareCycles,
	decideGrant,
	expiresAt,
	highestLevelMet,
	latestCycle,
	metRequirements,
	renewalOpensAt,
	renewalRequirements,
	statusAt,
	validateDefinition,
	type GrantDecision,
	type HoldingStatus
} from './lifecycle';
import type { CertificationDefinition, Evidence, Holding, Requirement } from './types';

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

const course = (name: string): Requirement => ({ kind: 'course', course: name });
const quiz = (courseName: string, name: string, minScore: number): Requirement => ({ kind: 'quiz', course: courseName, quiz: name, minScore });
const scenario = (courseName: string, name: string, minScore: number): Requirement => ({ kind: 'scenario', course: courseName, scenario: name, minScore });

/**
 * Home visit etiquette: 365 days, window 30 days.
 * L1: course `etq-basics` + quiz `etq-basics/q1` ≥ 80. L2: scenario `etq-adv/angry-customer` ≥ 70.
 * L3: course `etq-coach`. Renewal: quiz `etq-refresh/r1` ≥ 80.
 */
function def(overrides: Partial<CertificationDefinition> = {}): CertificationDefinition {
	return {
		id: 'etiquette',
		title: { en: 'Home visit etiquette', 'zh-CN': '上门服务礼仪' },
		levels: 3,
		validityDays: 365,
		renewalWindowDays: 30,
		requirements: [
			[course('etq-basics'), quiz('etq-basics', 'q1', 80)],
			[scenario('etq-adv', 'angry-customer', 70)],
			[course('etq-coach')]
		],
		renewal: [quiz('etq-refresh', 'r1', 80)],
		...overrides
	};
}

function evidence(parts: Partial<Evidence> = {}): Evidence {
	return { coursesCompleted: [], quizBest: [], scenarioBest: [], ...parts };
}

/** Evidence for level 1 (and optionally more) achieved at `at`. */
function levelEvidence(level: number, at: Date): Evidence {
	const ev = evidence({
		coursesCompleted: [{ course: 'etq-basics', at }],
		quizBest: [{ course: 'etq-basics', quiz: 'q1', percent: 90, at }]
	});
	if (level >= 2) ev.scenarioBest.push({ course: 'etq-adv', scenario: 'angry-customer', percent: 75, at });
	if (level >= 3) ev.coursesCompleted.push({ course: 'etq-coach', at });
	return ev;
}

function renewalEvidence(at: Date, percent = 85): Evidence {
	return evidence({ quizBest: [{ course: 'etq-refresh', quiz: 'r1', percent, at }] });
}

function merge(...parts: Evidence[]): Evidence {
	return {
		coursesCompleted: parts.flatMap((p) => p.coursesCompleted),
		quizBest: parts.flatMap((p) => p.quizBest),
		scenarioBest: parts.flatMap((p) => p.scenarioBest)
	};
}

function holding(overrides: Partial<Holding> = {}): Holding {
	const grantedAt = overrides.grantedAt ?? d('2026-01-10');
	return {
		id: 'h1',
		certificationId: 'etiquette',
		level: 1,
		grantedAt,
		expiresAt: expiresAt(grantedAt, 365),
		revokedAt: null,
		revokeReason: null,
		renewedFromId: null,
		...overrides
	};
}

let nextId = 0;
/** The cycle a decision would create (what the caller stores). */
function apply(decision: GrantDecision, certificationId = 'etiquette'): Holding {
	if (decision.action === 'none') throw new Error('nothing to apply');
	return {
		id: `new-${++nextId}`,
		certificationId,
		level: decision.level,
		grantedAt: decision.grantedAt,
		expiresAt: decision.expiresAt,
		revokedAt: null,
		revokeReason: null,
		renewedFromId: decision.renewedFromId
	};
}

/** Freezes arrays and objects (Dates too: their own properties) so a mutation attempt throws. */
function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
	}
	return value;
}

/** Dates serialise as ISO strings, so a setTime() on an input would show. */
function snapshot(value: unknown): string {
	return JSON.stringify(value);
}

describe('expiresAt', () => {
	it('adds calendar days in UTC, keeping the time of day', () => {
		expect(expiresAt(d('2026-01-10T08:30:00Z'), 365).toISOString()).toBe('2027-01-10T08:30:00.000Z');
		expect(expiresAt(d('2026-01-31'), 1).toISOString()).toBe('2026-02-01T00:00:00.000Z');
		expect(expiresAt(d('2026-12-31T23:59:59.999Z'), 1).toISOString()).toBe('2027-01-01T23:59:59.999Z');
	});

	it('counts a leap day as a day', () => {
		expect(expiresAt(d('2028-02-28'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
		expect(expiresAt(d('2027-02-28'), 1).toISOString()).toBe('2027-03-01T00:00:00.000Z');
		expect(expiresAt(d('2028-01-01'), 365).toISOString()).toBe('2028-12-31T00:00:00.000Z');
	});

	it('counts backwards for negative days and returns the same instant for 0', () => {
		expect(expiresAt(d('2026-03-01'), -1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
		expect(expiresAt(d('2026-03-01'), 0).toISOString()).toBe('2026-03-01T00:00:00.000Z');
	});

	it('is always exactly days × 24 h in UTC, whatever the date (property)', () => {
		const random = rng(1);
		for (let i = 0; i < 500; i++) {
			const granted = new Date(Date.UTC(2000, 0, 1) + Math.floor(random() * 60 * 365 * DAY));
			const days = Math.floor(random() * 2000) - 500;
			expect(expiresAt(granted, days).getTime() - granted.getTime()).toBe(days * DAY);
		}
	});

	it('returns a new Date and leaves the input alone', () => {
		const granted = d('2026-01-10');
		const result = expiresAt(granted, 10);
		expect(result).not.toBe(granted);
		expect(granted.toISOString()).toBe('2026-01-10T00:00:00.000Z');
		expect(expiresAt(granted, 0)).not.toBe(granted);
	});
});

describe('renewalOpensAt', () => {
	it('opens renewalWindowDays calendar days before expiry', () => {
		expect(renewalOpensAt({ expiresAt: d('2027-01-10') }, { renewalWindowDays: 30 }).toISOString()).toBe('2026-12-11T00:00:00.000Z');
		expect(renewalOpensAt({ expiresAt: d('2027-01-10') }, { renewalWindowDays: 0 }).toISOString()).toBe('2027-01-10T00:00:00.000Z');
	});
});

describe('statusAt', () => {
	const h = holding({ grantedAt: d('2026-01-10'), expiresAt: d('2027-01-10') });
	const definition = def();
	const opens = d('2026-12-11');

	it('is not-yet-valid before grantedAt and active exactly at grantedAt', () => {
		expect(statusAt(h, definition, plus(d('2026-01-10'), -1))).toBe('not-yet-valid');
		expect(statusAt(h, definition, d('2026-01-10'))).toBe('active');
	});

	it('is renewal-due from exactly the window opening up to just before expiry', () => {
		expect(statusAt(h, definition, plus(opens, -1))).toBe('active');
		expect(statusAt(h, definition, opens)).toBe('renewal-due');
		expect(statusAt(h, definition, plus(d('2027-01-10'), -1))).toBe('renewal-due');
	});

	it('is expired exactly at expiresAt and after', () => {
		expect(statusAt(h, definition, d('2027-01-10'))).toBe('expired');
		expect(statusAt(h, definition, d('2030-01-01'))).toBe('expired');
	});

	it('is revoked from exactly revokedAt, and not before', () => {
		const revoked = { ...h, revokedAt: d('2026-04-02'), revokeReason: 'complaint' };
		expect(statusAt(revoked, definition, plus(d('2026-04-02'), -1))).toBe('active');
		expect(statusAt(revoked, definition, d('2026-04-02'))).toBe('revoked');
		expect(statusAt(revoked, definition, d('2028-01-01'))).toBe('revoked');
	});

	it('puts revoked before not-yet-valid and expired', () => {
		const odd = { ...h, revokedAt: d('2025-01-01') };
		expect(statusAt(odd, definition, d('2025-06-01'))).toBe('revoked');
		expect(statusAt(odd, definition, d('2029-06-01'))).toBe('revoked');
	});

	it('is never renewal-due with a window of 0 days', () => {
		expect(statusAt(h, { renewalWindowDays: 0 }, plus(d('2027-01-10'), -1))).toBe('active');
		expect(statusAt(h, { renewalWindowDays: 0 }, d('2027-01-10'))).toBe('expired');
	});

	it('moves only forward through not-yet-valid → active → renewal-due → expired (property)', () => {
		const rank: Record<HoldingStatus, number> = { 'not-yet-valid': 0, active: 1, 'renewal-due': 2, expired: 3, revoked: 4 };
		const random = rng(2);
		for (let i = 0; i < 50; i++) {
			const validity = 1 + Math.floor(random() * 400);
			const window = Math.floor(random() * validity);
			const granted = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 1000) * 3_600_000);
			const cycle = holding({ grantedAt: granted, expiresAt: expiresAt(granted, validity) });
			let previous = -1;
			const seen = new Set<HoldingStatus>();
			for (let t = granted.getTime() - 2 * DAY; t <= cycle.expiresAt.getTime() + 2 * DAY; t += 6 * 3_600_000) {
				const status = statusAt(cycle, { renewalWindowDays: window }, new Date(t));
				expect(rank[status]).toBeGreaterThanOrEqual(previous);
				previous = rank[status];
				seen.add(status);
			}
			expect(seen.has('active') || window === validity).toBe(true);
			expect(seen.has('revoked')).toBe(false);
		}
	});
});

describe('metRequirements', () => {
	const at = d('2026-02-01');

	it('is met by an empty list', () => {
		expect(metRequirements([], evidence())).toEqual({ met: true, missing: [], evidence: [] });
	});

	it('needs a completion of the same course', () => {
		const reqs = [course('a')];
		expect(metRequirements(reqs, evidence({ coursesCompleted: [{ course: 'b', at }] })).met).toBe(false);
		expect(metRequirements(reqs, evidence({ coursesCompleted: [{ course: 'a', at }] }))).toEqual({
			met: true,
			missing: [],
			evidence: [{ requirement: course('a'), at }]
		});
	});

	it('needs the best quiz percent to reach minScore (equal is enough)', () => {
		const reqs = [quiz('c', 'q', 80)];
		const withPercent = (percent: number) => evidence({ quizBest: [{ course: 'c', quiz: 'q', percent, at }] });
		expect(metRequirements(reqs, withPercent(80)).met).toBe(true);
		expect(metRequirements(reqs, withPercent(100)).met).toBe(true);
		expect(metRequirements(reqs, withPercent(79.99)).met).toBe(false);
	});

	it('matches quizzes and scenarios by course AND id', () => {
		const reqs = [quiz('c', 'q', 50), scenario('c', 's', 50)];
		const wrong = evidence({
			quizBest: [
				{ course: 'other', quiz: 'q', percent: 100, at },
				{ course: 'c', quiz: 'other', percent: 100, at }
			],
			scenarioBest: [
				{ course: 'other', scenario: 's', percent: 100, at },
				{ course: 'c', scenario: 'other', percent: 100, at }
			]
		});
		expect(metRequirements(reqs, wrong)).toEqual({ met: false, missing: reqs, evidence: [] });
	});

	it('does not confuse a quiz with a scenario of the same name', () => {
		expect(metRequirements([scenario('c', 'x', 50)], evidence({ quizBest: [{ course: 'c', quiz: 'x', percent: 100, at }] })).met).toBe(false);
		expect(metRequirements([quiz('c', 'x', 50)], evidence({ scenarioBest: [{ course: 'c', scenario: 'x', percent: 100, at }] })).met).toBe(false);
	});

	it('needs the scenario percent to reach minScore', () => {
		const reqs = [scenario('c', 's', 70)];
		expect(metRequirements(reqs, evidence({ scenarioBest: [{ course: 'c', scenario: 's', percent: 70, at }] })).met).toBe(true);
		expect(metRequirements(reqs, evidence({ scenarioBest: [{ course: 'c', scenario: 's', percent: 69, at }] })).met).toBe(false);
	});

	it('lists what is missing and what was met, each in the order given', () => {
		const reqs = [course('a'), quiz('a', 'q', 80), course('b'), scenario('a', 's', 60)];
		const result = metRequirements(
			reqs,
			evidence({
				coursesCompleted: [{ course: 'b', at: d('2026-03-01') }],
				scenarioBest: [{ course: 'a', scenario: 's', percent: 60, at: d('2026-03-02') }]
			})
		);
		expect(result.met).toBe(false);
		expect(result.missing).toEqual([course('a'), quiz('a', 'q', 80)]);
		expect(result.evidence).toEqual([
			{ requirement: course('b'), at: d('2026-03-01') },
			{ requirement: scenario('a', 's', 60), at: d('2026-03-02') }
		]);
	});

	it('reports the earliest qualifying achievement', () => {
		const result = metRequirements(
			[quiz('c', 'q', 80)],
			evidence({
				quizBest: [
					{ course: 'c', quiz: 'q', percent: 95, at: d('2026-05-01') },
					{ course: 'c', quiz: 'q', percent: 70, at: d('2026-01-01') },
					{ course: 'c', quiz: 'q', percent: 81, at: d('2026-03-01') }
				]
			})
		);
		expect(result.evidence).toEqual([{ requirement: quiz('c', 'q', 80), at: d('2026-03-01') }]);
	});

	it('with since, counts only evidence achieved at or after it', () => {
		const since = d('2026-06-01');
		const reqs = [course('a')];
		expect(metRequirements(reqs, evidence({ coursesCompleted: [{ course: 'a', at: plus(since, -1) }] }), since).met).toBe(false);
		expect(metRequirements(reqs, evidence({ coursesCompleted: [{ course: 'a', at: since }] }), since).met).toBe(true);
		const both = evidence({ coursesCompleted: [{ course: 'a', at: d('2026-01-01') }, { course: 'a', at: d('2026-07-01') }] });
		expect(metRequirements(reqs, both, since).evidence).toEqual([{ requirement: course('a'), at: d('2026-07-01') }]);
		expect(metRequirements(reqs, both).evidence).toEqual([{ requirement: course('a'), at: d('2026-01-01') }]);
	});

	it('with since, ignores an old high score even when a newer one is too low', () => {
		const ev = evidence({
			quizBest: [
				{ course: 'c', quiz: 'q', percent: 100, at: d('2026-01-01') },
				{ course: 'c', quiz: 'q', percent: 60, at: d('2026-07-01') }
			]
		});
		expect(metRequirements([quiz('c', 'q', 80)], ev, d('2026-06-01')).met).toBe(false);
	});

	it('returns fresh Dates, not the evidence’s own objects', () => {
		const ev = evidence({ coursesCompleted: [{ course: 'a', at }] });
		const result = metRequirements([course('a')], ev);
		expect(result.evidence[0]?.at).toEqual(at);
		expect(result.evidence[0]?.at).not.toBe(ev.coursesCompleted[0]?.at);
	});

	it('agrees with a brute-force oracle (property)', () => {
		const random = rng(3);
		const courses = ['a', 'b'];
		for (let i = 0; i < 300; i++) {
			const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
			const reqs: Requirement[] = Array.from({ length: Math.floor(random() * 4) }, () =>
				pick([course(pick(courses)), quiz(pick(courses), pick(['q1', 'q2']), Math.floor(random() * 101)), scenario(pick(courses), 's', Math.floor(random() * 101))])
			);
			const when = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 10) * DAY);
			const ev = evidence({
				coursesCompleted: Array.from({ length: Math.floor(random() * 3) }, () => ({ course: pick(courses), at: when() })),
				quizBest: Array.from({ length: Math.floor(random() * 3) }, () => ({ course: pick(courses), quiz: pick(['q1', 'q2']), percent: Math.floor(random() * 101), at: when() })),
				scenarioBest: Array.from({ length: Math.floor(random() * 3) }, () => ({ course: pick(courses), scenario: 's', percent: Math.floor(random() * 101), at: when() }))
			});
			const since = random() < 0.5 ? undefined : when();
			const counts = (at: Date) => !since || at.getTime() >= since.getTime();
			const oracle = reqs.map((r) => {
				if (r.kind === 'course') return ev.coursesCompleted.some((c) => c.course === r.course && counts(c.at));
				if (r.kind === 'quiz') return ev.quizBest.some((q) => q.course === r.course && q.quiz === r.quiz && q.percent >= r.minScore && counts(q.at));
				return ev.scenarioBest.some((s) => s.course === r.course && s.scenario === r.scenario && s.percent >= r.minScore && counts(s.at));
			});
			const result = metRequirements(reqs, ev, since);
			expect(result.met).toBe(oracle.every(Boolean));
			expect(result.missing).toEqual(reqs.filter((_, index) => !oracle[index]));
			expect(result.evidence.map((e) => e.requirement)).toEqual(reqs.filter((_, index) => oracle[index]));
			for (const found of result.evidence) if (since) expect(found.at.getTime()).toBeGreaterThanOrEqual(since.getTime());
		}
	});
});

describe('highestLevelMet', () => {
	const at = d('2026-02-01');

	it('is 0 without evidence and each level with its evidence', () => {
		expect(highestLevelMet(def(), evidence())).toBe(0);
		expect(highestLevelMet(def(), levelEvidence(1, at))).toBe(1);
		expect(highestLevelMet(def(), levelEvidence(2, at))).toBe(2);
		expect(highestLevelMet(def(), levelEvidence(3, at))).toBe(3);
	});

	it('is a ladder: a higher level without the lower ones counts for nothing', () => {
		const onlyLevel2 = evidence({ scenarioBest: [{ course: 'etq-adv', scenario: 'angry-customer', percent: 100, at }] });
		expect(highestLevelMet(def(), onlyLevel2)).toBe(0);
		const levels1and3 = merge(levelEvidence(1, at), evidence({ coursesCompleted: [{ course: 'etq-coach', at }] }));
		expect(highestLevelMet(def(), levels1and3)).toBe(1);
	});

	it('never goes above levels', () => {
		expect(highestLevelMet(def({ levels: 2 }), levelEvidence(3, at))).toBe(2);
		expect(highestLevelMet(def({ levels: 1 }), levelEvidence(3, at))).toBe(1);
	});

	it('cannot reach a level whose list is empty or absent', () => {
		expect(highestLevelMet(def({ requirements: [[course('etq-basics')], [], [course('etq-coach')]] }), levelEvidence(3, at))).toBe(1);
		expect(highestLevelMet(def({ requirements: [[course('etq-basics')]] }), levelEvidence(3, at))).toBe(1);
		expect(highestLevelMet(def({ requirements: [[]] }), levelEvidence(3, at))).toBe(0);
	});

	it('with since, counts only newer evidence', () => {
		const ev = merge(levelEvidence(1, d('2026-01-01')), levelEvidence(3, d('2026-08-01')));
		expect(highestLevelMet(def(), ev)).toBe(3);
		expect(highestLevelMet(def(), levelEvidence(3, d('2026-01-01')), d('2026-06-01'))).toBe(0);
		expect(highestLevelMet(def(), merge(levelEvidence(3, d('2026-01-01')), levelEvidence(1, d('2026-07-01'))), d('2026-06-01'))).toBe(1);
	});
});

describe('validateDefinition', () => {
	it('accepts a sound definition', () => {
		expect(validateDefinition(def())).toEqual([]);
		expect(validateDefinition(def({ levels: 1, requirements: [[course('a')]], renewal: [], renewalWindowDays: 0, validityDays: 1 }))).toEqual([]);
	});

	it('reports each problem', () => {
		expect(validateDefinition(def({ id: '' }))).toEqual(['id is empty']);
		expect(validateDefinition(def({ levels: 4 }))).toEqual(['levels must be 1–3, got 4', 'expected 4 requirement lists, got 3']);
		expect(validateDefinition(def({ levels: 0, requirements: [] }))).toEqual(['levels must be 1–3, got 0']);
		expect(validateDefinition(def({ levels: 1.5 }))[0]).toBe('levels must be 1–3, got 1.5');
		expect(validateDefinition(def({ levels: 2 }))).toEqual(['expected 2 requirement lists, got 3']);
		expect(validateDefinition(def({ requirements: [[course('a')], [], [course('b')]] }))).toEqual(['level 2 has no requirements']);
		expect(validateDefinition(def({ validityDays: 0, renewalWindowDays: 0 }))).toEqual(['validityDays must be a positive integer, got 0', 'renewalWindowDays (0) must be smaller than validityDays (0)']);
		expect(validateDefinition(def({ validityDays: 10.5 }))[0]).toBe('validityDays must be a positive integer, got 10.5');
		expect(validateDefinition(def({ renewalWindowDays: -1 }))).toEqual(['renewalWindowDays must be a non-negative integer, got -1']);
		expect(validateDefinition(def({ renewalWindowDays: 365 }))).toEqual(['renewalWindowDays (365) must be smaller than validityDays (365)']);
		expect(validateDefinition(def({ renewal: [quiz('a', 'b', 101)] }))).toEqual(['minScore must be 0–100, got 101']);
		expect(validateDefinition(def({ requirements: [[scenario('a', 'b', -1)], [course('a')], [course('b')]] }))).toEqual(['minScore must be 0–100, got -1']);
	});
});

describe('compareCycles and latestCycle', () => {
	const a = holding({ id: 'a', grantedAt: d('2026-01-01'), expiresAt: d('2027-01-01') });
	const b = holding({ id: 'b', grantedAt: d('2026-03-01'), expiresAt: d('2027-01-01'), level: 2 });
	const c = holding({ id: 'c', grantedAt: d('2026-12-15'), expiresAt: d('2028-01-01'), level: 2 });

	it('orders by grantedAt first', () => {
		expect([c, a, b].sort(compareCycles).map((h) => h.id)).toEqual(['a', 'b', 'c']);
		expect(latestCycle([b, c, a])?.id).toBe('c');
		expect(latestCycle([])).toBeNull();
	});

	it('breaks ties by expiresAt, level, unrevoked-last, then id — for any input order (property)', () => {
		const t = d('2026-05-01');
		const tied = [
			holding({ id: 'x1', grantedAt: t, expiresAt: d('2027-01-01'), level: 3 }),
			holding({ id: 'x2', grantedAt: t, expiresAt: d('2027-05-01'), level: 1, revokedAt: d('2026-06-01') }),
			holding({ id: 'x3', grantedAt: t, expiresAt: d('2027-05-01'), level: 1 }),
			holding({ id: 'x4', grantedAt: t, expiresAt: d('2027-05-01'), level: 2 }),
			holding({ id: 'x5', grantedAt: t, expiresAt: d('2027-05-01'), level: 2 })
		];
		const expected = ['x1', 'x2', 'x3', 'x4', 'x5'];
		const random = rng(4);
		for (let i = 0; i < 50; i++) {
			const shuffled = [...tied].sort(() => random() - 0.5);
			expect(shuffled.sort(compareCycles).map((h) => h.id)).toEqual(expected);
			expect(latestCycle([...tied].sort(() => random() - 0.5))?.id).toBe('x5');
		}
	});
});

describe('decideGrant — fresh grant', () => {
	const now = d('2026-03-01T09:00:00Z');

	it('does nothing without evidence', () => {
		expect(decideGrant(def(), [], evidence(), now)).toEqual({ action: 'none' });
	});

	it('does nothing when level 1 is only partly met', () => {
		const partial = evidence({ coursesCompleted: [{ course: 'etq-basics', at: d('2026-02-01') }] });
		expect(decideGrant(def(), [], partial, now)).toEqual({ action: 'none' });
	});

	it('grants level 1 from now for validityDays, as a fresh cycle', () => {
		const decision = decideGrant(def(), [], levelEvidence(1, d('2026-02-01')), now);
		expect(decision).toEqual({ action: 'grant', level: 1, grantedAt: now, expiresAt: d('2027-03-01T09:00:00Z'), renewedFromId: null });
		if (decision.action !== 'none') expect(decision.grantedAt).not.toBe(now);
	});

	it('grants the highest level met straight away', () => {
		expect(decideGrant(def(), [], levelEvidence(3, d('2026-02-01')), now)).toMatchObject({ action: 'grant', level: 3 });
		expect(decideGrant(def(), [], levelEvidence(2, d('2026-02-01')), now)).toMatchObject({ action: 'grant', level: 2 });
	});

	it('counts evidence achieved exactly at now, and ignores evidence dated after now', () => {
		expect(decideGrant(def(), [], levelEvidence(1, now), now)).toMatchObject({ action: 'grant', level: 1 });
		expect(decideGrant(def(), [], levelEvidence(1, plus(now, 1)), now)).toEqual({ action: 'none' });
		expect(decideGrant(def(), [], merge(levelEvidence(1, now), levelEvidence(3, plus(now, 1))), now)).toMatchObject({ level: 1 });
	});

	it('ignores cycles of other certifications', () => {
		const other = holding({ certificationId: 'gas-safety', grantedAt: d('2026-01-01') });
		expect(decideGrant(def(), [other], levelEvidence(1, d('2026-02-01')), now)).toMatchObject({ action: 'grant', level: 1, renewedFromId: null });
	});

	it('throws on an unsound definition', () => {
		expect(() => decideGrant(def({ renewalWindowDays: 400 }), [], evidence(), now)).toThrow(RangeError);
		expect(() => decideGrant(def({ levels: 0, requirements: [] }), [], evidence(), now)).toThrow(/levels must be 1–3/);
	});
});

describe('decideGrant — re-certification after expiry or revocation', () => {
	const cycle = holding({ id: 'old', grantedAt: d('2025-01-10'), expiresAt: d('2026-01-10'), level: 2 });
	const oldPass = levelEvidence(3, d('2025-01-05'));

	it('an old pass does not re-certify after expiry', () => {
		expect(decideGrant(def(), [cycle], oldPass, d('2026-01-10'))).toEqual({ action: 'none' });
		expect(decideGrant(def(), [cycle], oldPass, d('2026-05-01'))).toEqual({ action: 'none' });
	});

	it('renewal evidence alone does not re-certify after expiry, not even inside the old window', () => {
		const ev = merge(oldPass, renewalEvidence(d('2026-01-01')), renewalEvidence(d('2026-02-01')));
		expect(decideGrant(def(), [cycle], ev, d('2026-03-01'))).toEqual({ action: 'none' });
	});

	it('expiry is exact: renewal that had not happened by expiresAt is too late', () => {
		const ev = merge(oldPass, renewalEvidence(d('2026-01-01')));
		expect(decideGrant(def(), [cycle], ev, plus(d('2026-01-10'), -1))).toMatchObject({ action: 'renew' });
		expect(decideGrant(def(), [cycle], ev, d('2026-01-10'))).toEqual({ action: 'none' });
	});

	it('full requirements met after the expiry grant a fresh cycle, at the level met since', () => {
		const now = d('2026-05-01');
		const ev = merge(oldPass, levelEvidence(1, d('2026-04-01')));
		expect(decideGrant(def(), [cycle], ev, now)).toEqual({ action: 'grant', level: 1, grantedAt: now, expiresAt: d('2027-05-01'), renewedFromId: null });
	});

	it('counts evidence achieved exactly at the expiry instant', () => {
		expect(decideGrant(def(), [cycle], levelEvidence(1, d('2026-01-10')), d('2026-01-11'))).toMatchObject({ action: 'grant', level: 1 });
		expect(decideGrant(def(), [cycle], levelEvidence(1, plus(d('2026-01-10'), -1)), d('2026-01-11'))).toEqual({ action: 'none' });
	});

	it('after revocation, evidence must come after the revocation', () => {
		const revoked = holding({ id: 'r', grantedAt: d('2026-01-10'), expiresAt: d('2027-01-10'), revokedAt: d('2026-04-02'), revokeReason: 'complaint' });
		const before = levelEvidence(3, d('2026-01-05'));
		expect(decideGrant(def(), [revoked], before, d('2026-04-02'))).toEqual({ action: 'none' });
		expect(decideGrant(def(), [revoked], before, d('2026-06-01'))).toEqual({ action: 'none' });
		expect(decideGrant(def(), [revoked], merge(before, levelEvidence(1, d('2026-05-01'))), d('2026-06-01'))).toEqual({
			action: 'grant',
			level: 1,
			grantedAt: d('2026-06-01'),
			expiresAt: d('2027-06-01'),
			renewedFromId: null
		});
	});

	it('a revocation dated in the future has not happened yet', () => {
		const revokedLater = holding({ id: 'r', grantedAt: d('2026-01-10'), expiresAt: d('2027-01-10'), revokedAt: d('2026-09-01') });
		expect(decideGrant(def(), [revokedLater], levelEvidence(1, d('2026-01-05')), d('2026-05-01'))).toEqual({ action: 'none' });
	});

	it('a revocation after the expiry: evidence counts from the expiry', () => {
		const lateRevoked = { ...cycle, revokedAt: d('2026-03-01'), revokeReason: 'cleanup' };
		expect(decideGrant(def(), [lateRevoked], levelEvidence(1, d('2026-02-01')), d('2026-04-01'))).toMatchObject({ action: 'grant', level: 1 });
	});

	it('the latest cycle decides: a revoked renewal is not rescued by the cycle it renewed', () => {
		const first = holding({ id: 'first', grantedAt: d('2025-01-10'), expiresAt: d('2026-01-10') });
		const renewal = holding({ id: 'renewal', grantedAt: d('2025-12-20'), expiresAt: d('2027-01-10'), renewedFromId: 'first', revokedAt: d('2025-12-28'), revokeReason: 'fraud' });
		const ev = merge(levelEvidence(1, d('2025-01-01')), renewalEvidence(d('2025-12-27')));
		expect(decideGrant(def(), [first, renewal], ev, d('2026-01-05'))).toEqual({ action: 'none' });
	});
});

describe('decideGrant — renewal', () => {
	const cycle = holding({ id: 'c1', grantedAt: d('2026-01-10'), expiresAt: d('2027-01-10'), level: 2 });
	const base = levelEvidence(2, d('2026-01-01'));

	it('renews inside the window with renewal evidence from inside the window, extending from the OLD expiry', () => {
		const now = d('2026-12-20');
		expect(decideGrant(def(), [cycle], merge(base, renewalEvidence(d('2026-12-15'))), now)).toEqual({
			action: 'renew',
			level: 2,
			grantedAt: now,
			expiresAt: d('2028-01-10'),
			renewedFromId: 'c1'
		});
	});

	it('gives the same new expiry however early in the window the renewal happens (property)', () => {
		for (let offset = 0; offset < 30 * 24; offset += 7) {
			const now = plus(d('2026-12-11'), offset * 3_600_000);
			const decision = decideGrant(def(), [cycle], merge(base, renewalEvidence(d('2026-12-11'))), now);
			expect(decision).toMatchObject({ action: 'renew', expiresAt: d('2028-01-10') });
		}
	});

	it('counts renewal evidence from exactly the window opening, not before', () => {
		const now = d('2026-12-20');
		expect(decideGrant(def(), [cycle], merge(base, renewalEvidence(d('2026-12-11'))), now)).toMatchObject({ action: 'renew' });
		expect(decideGrant(def(), [cycle], merge(base, renewalEvidence(plus(d('2026-12-11'), -1))), now)).toEqual({ action: 'none' });
	});

	it('does not renew before the window opens, even with evidence', () => {
		const ev = merge(base, renewalEvidence(d('2026-12-01')));
		expect(decideGrant(def(), [cycle], ev, plus(d('2026-12-11'), -1))).toEqual({ action: 'none' });
	});

	it('does not renew with a renewal score below minScore', () => {
		expect(decideGrant(def(), [cycle], merge(base, renewalEvidence(d('2026-12-15'), 79)), d('2026-12-20'))).toEqual({ action: 'none' });
	});

	it('renews with no requirements when the renewal list is empty, but only inside the window', () => {
		expect(decideGrant(def({ renewal: [] }), [cycle], base, d('2026-12-11'))).toMatchObject({ action: 'renew', expiresAt: d('2028-01-10') });
		expect(decideGrant(def({ renewal: [] }), [cycle], base, d('2026-12-10'))).toEqual({ action: 'none' });
	});

	it('renews at a higher level when that level is met too', () => {
		const ev = merge(base, renewalEvidence(d('2026-12-15')), levelEvidence(3, d('2026-12-16')));
		expect(decideGrant(def(), [cycle], ev, d('2026-12-20'))).toMatchObject({ action: 'renew', level: 3, expiresAt: d('2028-01-10'), renewedFromId: 'c1' });
	});

	it('renews the latest cycle of a chain, not an older one (365 days across 29 February 2028)', () => {
		const renewed = holding({ id: 'c2', grantedAt: d('2026-12-20'), expiresAt: d('2028-01-10'), level: 2, renewedFromId: 'c1' });
		const ev = merge(base, renewalEvidence(d('2026-12-15')));
		expect(decideGrant(def(), [renewed, cycle], ev, d('2027-01-05'))).toEqual({ action: 'none' });
		expect(decideGrant(def(), [renewed, cycle], merge(ev, renewalEvidence(d('2027-12-20'))), d('2027-12-24'))).toMatchObject({
			action: 'renew',
			expiresAt: d('2029-01-09'),
			renewedFromId: 'c2'
		});
	});
});

describe('decideGrant — upgrade', () => {
	const cycle = holding({ id: 'c1', grantedAt: d('2026-01-10'), expiresAt: d('2027-01-10'), level: 1 });

	it('upgrades an active cycle to the higher level met, keeping the same expiry', () => {
		const now = d('2026-06-01');
		const ev = merge(levelEvidence(1, d('2026-01-01')), levelEvidence(2, d('2026-05-20')));
		expect(decideGrant(def(), [cycle], ev, now)).toEqual({ action: 'upgrade', level: 2, grantedAt: now, expiresAt: d('2027-01-10'), renewedFromId: 'c1' });
	});

	it('jumps straight to the highest level met', () => {
		expect(decideGrant(def(), [cycle], levelEvidence(3, d('2026-05-20')), d('2026-06-01'))).toMatchObject({ action: 'upgrade', level: 3 });
	});

	it('does nothing when the level met is the current one or lower', () => {
		expect(decideGrant(def(), [cycle], levelEvidence(1, d('2026-01-01')), d('2026-06-01'))).toEqual({ action: 'none' });
		const level3 = { ...cycle, level: 3 };
		expect(decideGrant(def(), [level3], levelEvidence(2, d('2026-01-01')), d('2026-06-01'))).toEqual({ action: 'none' });
	});

	it('upgrades inside the renewal window when the renewal is not met, then waits for the renewal', () => {
		const now = d('2026-12-20');
		const ev = levelEvidence(2, d('2026-12-15'));
		const decision = decideGrant(def(), [cycle], ev, now);
		expect(decision).toEqual({ action: 'upgrade', level: 2, grantedAt: now, expiresAt: d('2027-01-10'), renewedFromId: 'c1' });
		const upgraded = apply(decision);
		expect(decideGrant(def(), [cycle, upgraded], ev, now)).toEqual({ action: 'none' });
		expect(decideGrant(def(), [cycle, upgraded], merge(ev, renewalEvidence(d('2026-12-22'))), d('2026-12-23'))).toMatchObject({
			action: 'renew',
			level: 2,
			expiresAt: d('2028-01-10'),
			renewedFromId: upgraded.id
		});
	});

	it('a pass from before a lapse cannot upgrade a re-certification', () => {
		const lapsed = holding({ id: 'old', grantedAt: d('2024-01-10'), expiresAt: d('2025-01-10'), level: 1 });
		const fresh = holding({ id: 'fresh', grantedAt: d('2025-06-01'), expiresAt: d('2026-06-01'), level: 1 });
		const oldLevel2 = levelEvidence(2, d('2024-06-01'));
		const ev = merge(oldLevel2, levelEvidence(1, d('2025-05-01')));
		expect(decideGrant(def(), [lapsed, fresh], ev, d('2025-09-01'))).toEqual({ action: 'none' });
		const newScenario = evidence({ scenarioBest: [{ course: 'etq-adv', scenario: 'angry-customer', percent: 80, at: d('2025-08-01') }] });
		expect(decideGrant(def(), [lapsed, fresh], merge(ev, newScenario), d('2025-09-01'))).toMatchObject({ action: 'upgrade', level: 2, renewedFromId: 'fresh' });
	});

	it('evidence from earlier in an unbroken run of renewals still counts for an upgrade', () => {
		const first = holding({ id: 'a', grantedAt: d('2024-01-10'), expiresAt: d('2025-01-10'), level: 1 });
		const renewed = holding({ id: 'b', grantedAt: d('2024-12-20'), expiresAt: d('2026-01-10'), level: 1, renewedFromId: 'a' });
		const ev = levelEvidence(2, d('2024-01-01'));
		expect(decideGrant(def(), [first, renewed], ev, d('2025-03-01'))).toMatchObject({ action: 'upgrade', level: 2, expiresAt: d('2026-01-10'), renewedFromId: 'b' });
	});
});

describe('decideGrant — guards', () => {
	it('does nothing while a cycle dated in the future exists', () => {
		const scheduled = holding({ grantedAt: d('2026-09-01'), expiresAt: d('2027-09-01') });
		expect(decideGrant(def(), [scheduled], levelEvidence(3, d('2026-01-01')), d('2026-05-01'))).toEqual({ action: 'none' });
		expect(decideGrant(def(), [scheduled], levelEvidence(3, d('2026-01-01')), d('2026-09-01'))).toMatchObject({ action: 'upgrade', level: 3 });
	});

	it('gives the same decision for any order of the cycles (property)', () => {
		const cycles = [
			holding({ id: 'a', grantedAt: d('2024-01-10'), expiresAt: d('2025-01-10') }),
			holding({ id: 'b', grantedAt: d('2024-12-20'), expiresAt: d('2026-01-10'), renewedFromId: 'a' }),
			holding({ id: 'c', grantedAt: d('2025-03-01'), expiresAt: d('2026-01-10'), level: 2, renewedFromId: 'b' }),
			holding({ id: 'z', certificationId: 'other', grantedAt: d('2025-12-31'), expiresAt: d('2026-12-31') })
		];
		const ev = merge(levelEvidence(3, d('2024-01-01')), renewalEvidence(d('2025-12-20')));
		const expected = decideGrant(def(), cycles, ev, d('2025-12-24'));
		expect(expected).toMatchObject({ action: 'renew', level: 3, renewedFromId: 'c', expiresAt: d('2027-01-10') });
		const random = rng(5);
		for (let i = 0; i < 40; i++) expect(decideGrant(def(), [...cycles].sort(() => random() - 0.5), ev, d('2025-12-24'))).toEqual(expected);
	});
});

describe('decideGrant — a whole career', () => {
	it('grants, upgrades, renews, lapses and re-certifies, never granting twice', () => {
		const definition = def();
		const cycles: Holding[] = [];
		let ev = evidence();
		const step = (now: Date, expected: Partial<GrantDecision>) => {
			const decision = decideGrant(definition, cycles, ev, now);
			expect(decision).toMatchObject(expected);
			if (decision.action !== 'none') {
				cycles.push(apply(decision));
				expect(decideGrant(definition, cycles, ev, now)).toEqual({ action: 'none' });
			}
		};

		ev = merge(ev, levelEvidence(1, d('2026-01-05')));
		step(d('2026-01-10'), { action: 'grant', level: 1, expiresAt: d('2027-01-10') });
		step(d('2026-02-10'), { action: 'none' });
		ev = merge(ev, levelEvidence(2, d('2026-05-01')));
		step(d('2026-05-02'), { action: 'upgrade', level: 2, expiresAt: d('2027-01-10') });
		step(d('2026-12-20'), { action: 'none' });
		ev = merge(ev, renewalEvidence(d('2026-12-21')));
		step(d('2026-12-22'), { action: 'renew', level: 2, expiresAt: d('2028-01-10') });
		step(d('2027-12-20'), { action: 'none' });
		step(d('2028-01-10'), { action: 'none' });
		ev = merge(ev, renewalEvidence(d('2028-01-11')));
		step(d('2028-01-12'), { action: 'none' });
		ev = merge(ev, levelEvidence(1, d('2028-02-01')));
		step(d('2028-02-02'), { action: 'grant', level: 1, expiresAt: d('2029-02-01'), renewedFromId: null });
		step(d('2028-03-01'), { action: 'none' });

		expect(cycles.map((c) => [c.level, c.renewedFromId === null ? 'fresh' : 'linked'])).toEqual([
			[1, 'fresh'],
			[2, 'linked'],
			[2, 'linked'],
			[1, 'fresh']
		]);
		expect(cycles[1]?.renewedFromId).toBe(cycles[0]?.id);
		expect(cycles[2]?.renewedFromId).toBe(cycles[1]?.id);
	});
});

describe('decideGrant — idempotence (property)', () => {
	it('deciding again after storing the decision, with the same evidence at the same instant, gives none', () => {
		const random = rng(6);
		let acted = 0;
		for (let i = 0; i < 400; i++) {
			const validity = 30 + Math.floor(random() * 400);
			const definition = def({ validityDays: validity, renewalWindowDays: Math.floor(random() * validity), renewal: random() < 0.2 ? [] : def().renewal });
			const start = Date.UTC(2025, 0, 1);
			const when = () => new Date(start + Math.floor(random() * 900) * DAY + Math.floor(random() * 24) * 3_600_000);
			const now = new Date(start + 900 * DAY);
			const cycles: Holding[] = [];
			for (let c = 0, n = Math.floor(random() * 4); c < n; c++) {
				const grantedAt = when();
				const revoked = random() < 0.2;
				cycles.push(
					holding({
						id: `h${c}`,
						level: 1 + Math.floor(random() * 3),
						grantedAt,
						expiresAt: expiresAt(grantedAt, validity),
						revokedAt: revoked ? plus(grantedAt, Math.floor(random() * validity) * DAY) : null,
						revokeReason: revoked ? 'audit' : null
					})
				);
			}
			let ev = evidence();
			for (let e = 0, n = Math.floor(random() * 6); e < n; e++) {
				ev = merge(ev, random() < 0.5 ? levelEvidence(1 + Math.floor(random() * 3), when()) : renewalEvidence(when()));
			}
			deepFreeze(cycles);
			deepFreeze(ev);
			const before = snapshot({ cycles, ev });
			const decision = decideGrant(definition, cycles, ev, now);
			expect(snapshot({ cycles, ev })).toBe(before);
			if (decision.action === 'none') continue;
			acted++;
			expect(decision.grantedAt).toEqual(now);
			expect(decision.expiresAt.getTime()).toBeGreaterThan(now.getTime());
			expect(decision.level).toBeGreaterThanOrEqual(1);
			expect(decision.level).toBeLessThanOrEqual(3);
			const next = [...cycles, apply(decision)];
			expect(decideGrant(definition, next, ev, now)).toEqual({ action: 'none' });
			expect(decideGrant(definition, [...next].reverse(), ev, now)).toEqual({ action: 'none' });
		}
		expect(acted).toBeGreaterThan(40);
	});
});

describe('history is never deleted', () => {
	it('no function mutates its inputs', () => {
		const definition = deepFreeze(def());
		const cycles = deepFreeze([
			holding({ id: 'a', grantedAt: d('2025-01-10'), expiresAt: d('2026-01-10') }),
			holding({ id: 'b', grantedAt: d('2025-12-20'), expiresAt: d('2027-01-10'), renewedFromId: 'a' }),
			holding({ id: 'r', grantedAt: d('2024-01-10'), expiresAt: d('2025-01-10'), revokedAt: d('2024-05-01'), revokeReason: 'x' })
		]);
		const ev = deepFreeze(merge(levelEvidence(3, d('2025-06-01')), renewalEvidence(d('2026-12-20'))));
		const now = d('2026-12-24');
		const dates = [now, ...cycles.flatMap((c) => [c.grantedAt, c.expiresAt]), ...ev.quizBest.map((q) => q.at)];
		const times = dates.map((date) => date.getTime());
		const before = snapshot({ definition, cycles, ev, now });

		expiresAt(now, 10);
		renewalOpensAt(cycles[1]!, definition);
		statusAt(cycles[1]!, definition, now);
		metRequirements(definition.renewal, ev, now);
		highestLevelMet(definition, ev);
		validateDefinition(definition);
		latestCycle(cycles);
		const decision = decideGrant(definition, cycles, ev, now);
		expect(decision.action).toBe('renew');
		if (decision.action !== 'none') {
			decision.grantedAt.setTime(0);
			decision.expiresAt.setTime(0);
		}

		expect(snapshot({ definition, cycles, ev, now })).toBe(before);
		expect(dates.map((date) => date.getTime())).toEqual(times);
		expect(cycles.map((c) => c.id)).toEqual(['a', 'b', 'r']);
	});
});

describe('material change to a required course', () => {
	const granted = d('2026-01-10');
	const changedAt = d('2026-06-01');
	const renewBy = d('2026-07-01');
	// As the content store leaves a cycle when a course it requires is published as a material change.
	const changed = holding({ grantedAt: granted, expiresAt: renewBy, expiresBeforeChange: d('2027-01-10'), renewalDueFrom: changedAt, relearn: ['etq-basics'] });

	it('is renewal-due from the change, months before the ordinary window, and expired at the renew-by date', () => {
		expect(statusAt(changed, def(), plus(changedAt, -DAY))).toBe('active');
		expect(statusAt(changed, def(), changedAt)).toBe('renewal-due');
		expect(renewalOpensAt(changed, def())).toEqual(changedAt);
		expect(statusAt(changed, def(), plus(renewBy, -1))).toBe('renewal-due');
		expect(statusAt(changed, def(), renewBy)).toBe('expired');
	});

	it('asks for the changed course again, completed after the change, besides the renewal requirements', () => {
		expect(renewalRequirements(changed, def())).toEqual([quiz('etq-refresh', 'r1', 80), course('etq-basics')]);
		const before = merge(levelEvidence(1, granted), renewalEvidence(d('2026-06-10')));
		expect(decideGrant(def(), [changed], before, d('2026-06-10')).action).toBe('none');
		const after = merge(before, evidence({ coursesCompleted: [{ course: 'etq-basics', at: d('2026-06-12') }] }));
		const decision = decideGrant(def(), [changed], after, d('2026-06-12'));
		// Renewed from the expiry the cycle had before the change: nobody loses time.
		expect(decision).toMatchObject({ action: 'renew', expiresAt: expiresAt(d('2027-01-10'), 365) });
	});

	it('leaves a cycle without a change as it was', () => {
		const plain = holding({ grantedAt: granted, expiresAt: d('2027-01-10') });
		expect(renewalOpensAt(plain, def())).toEqual(expiresAt(d('2027-01-10'), -30));
		expect(renewalRequirements(plain, def())).toEqual([quiz('etq-refresh', 'r1', 80)]);
	});
});
