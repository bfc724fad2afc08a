import { describe, expect, it } from 'vitest';
import { itemAnalysis, scoreDistribution, summary, type AnalysedAttempt } from './analysis';

/** An attempt from [questionId, score, max] triples. */
function attempt(...items: Array<[string, number, number]>): AnalysedAttempt {
	return { items: items.map(([questionId, score, max]) => ({ questionId, score, max })) };
}

describe('itemAnalysis', () => {
	/*
	 * Four attempts, three one-point questions:
	 *
	 *        q1 q2 q3 | total
	 *   A     1  1  1 |  3
	 *   B     1  0  1 |  2
	 *   C     0  1  0 |  1
	 *   D     0  0  0 |  0
	 *
	 * q1: x = [1, 1, 0, 0], rest = total − x = [2, 1, 1, 0].
	 *     mean x = 0.5, mean rest = 1; dx = [.5, .5, −.5, −.5], dy = [1, 0, 0, −1].
	 *     Σdx·dy = .5 + 0 + 0 + .5 = 1; Σdx² = 4 × .25 = 1; Σdy² = 1 + 0 + 0 + 1 = 2.
	 *     r = 1 / √(1 × 2) = 0.70711 → discrimination 70.711.
	 *     facility = 50; sd = √(Σdx² / (n − 1)) = √(1/3) = 0.57735 → 57.735.
	 * q2: x = [1, 0, 1, 0], rest = [2, 2, 0, 0]; dx = [.5, −.5, .5, −.5], dy = [1, 1, −1, −1].
	 *     Σdx·dy = .5 − .5 − .5 + .5 = 0 → r = 0 → discrimination 0: weak, not negative.
	 * q3: same scores and rest as q1 → 70.711.
	 */
	const attempts = [
		attempt(['q1', 1, 1], ['q2', 1, 1], ['q3', 1, 1]),
		attempt(['q1', 1, 1], ['q2', 0, 1], ['q3', 1, 1]),
		attempt(['q1', 0, 1], ['q2', 1, 1], ['q3', 0, 1]),
		attempt(['q1', 0, 1], ['q2', 0, 1], ['q3', 0, 1])
	];

	it('computes the discrimination index against the rest of the test', () => {
		const [q1, q2, q3] = itemAnalysis(attempts);
		expect(q1?.questionId).toBe('q1');
		expect(q1?.n).toBe(4);
		expect(q1?.facility).toBeCloseTo(50, 9);
		expect(q1?.sd).toBeCloseTo(57.735, 3);
		expect(q1?.discrimination).toBeCloseTo(70.711, 3);
		expect(q1?.flags).toEqual({ easy: false, hard: false, weak: false, negative: false });
		expect(q2?.discrimination).toBeCloseTo(0, 9);
		expect(q2?.flags).toEqual({ easy: false, hard: false, weak: true, negative: false });
		expect(q3?.discrimination).toBeCloseTo(70.711, 3);
	});

	it('flags negative discrimination', () => {
		/*
		 * qa = [2, 0, 2] of 2, qb = [0, 1, 0] of 1, so the rest of the test for qa is qb.
		 * mean qa = 4/3, dx = [2/3, −4/3, 2/3]; mean rest = 1/3, dy = [−1/3, 2/3, −1/3].
		 * Σdx·dy = −2/9 − 8/9 − 2/9 = −4/3; Σdx² = 24/9 = 8/3; Σdy² = 6/9 = 2/3.
		 * r = (−4/3) / √(8/3 × 2/3) = (−4/3) / (4/3) = −1 → −100.
		 * facility qa = mean(1, 0, 1) × 100 = 66.67.
		 */
		const [qa] = itemAnalysis([
			attempt(['qa', 2, 2], ['qb', 0, 1]),
			attempt(['qa', 0, 2], ['qb', 1, 1]),
			attempt(['qa', 2, 2], ['qb', 0, 1])
		]);
		expect(qa?.discrimination).toBeCloseTo(-100, 9);
		expect(qa?.facility).toBeCloseTo(66.667, 3);
		expect(qa?.flags).toEqual({ easy: false, hard: false, weak: true, negative: true });
	});

	it('counts only attempts that had the question (drawn quizzes)', () => {
		const stats = itemAnalysis([
			attempt(['q1', 1, 1], ['q2', 0, 1]),
			attempt(['q1', 0, 1], ['q3', 1, 1]),
			attempt(['q2', 1, 1], ['q3', 1, 1])
		]);
		expect(stats.map((s) => [s.questionId, s.n])).toEqual([
			['q1', 2],
			['q2', 2],
			['q3', 2]
		]);
	});

	it('gives null discrimination with fewer than 2 attempts or no variance, and flags easy/hard', () => {
		const [only] = itemAnalysis([attempt(['q1', 1, 1], ['q2', 0, 1])]);
		expect(only?.discrimination).toBeNull();
		expect(only?.sd).toBe(0);
		const stats = itemAnalysis([
			attempt(['easy', 1, 1], ['hard', 0, 1], ['x', 1, 1]),
			attempt(['easy', 1, 1], ['hard', 0, 1], ['x', 0, 1])
		]);
		const easy = stats.find((s) => s.questionId === 'easy');
		const hard = stats.find((s) => s.questionId === 'hard');
		expect(easy?.facility).toBe(100);
		expect(easy?.discrimination).toBeNull();
		expect(easy?.flags).toEqual({ easy: true, hard: false, weak: false, negative: false });
		expect(hard?.flags).toEqual({ easy: false, hard: true, weak: false, negative: false });
	});

	it('returns nothing for no attempts', () => {
		expect(itemAnalysis([])).toEqual([]);
	});
});

describe('scoreDistribution', () => {
	it('counts per 10-point band, 100 in the last band', () => {
		expect(scoreDistribution([0, 9.9, 10, 55, 89.9, 90, 100])).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 1, 2]);
	});

	it('supports other band counts and clamps out-of-range values', () => {
		expect(scoreDistribution([-5, 49.9, 50, 120, Number.NaN], 2)).toEqual([2, 2]);
		expect(() => scoreDistribution([1], 0)).toThrow(RangeError);
	});
});

describe('summary', () => {
	it('counts passes at or above the mark, mean and median', () => {
		expect(summary([40, 70, 90, 100], 70)).toEqual({ attempts: 4, passed: 3, passRate: 75, mean: 75, median: 80 });
		expect(summary([10, 80, 60], 70)).toEqual({ attempts: 3, passed: 1, passRate: 33.3, mean: 50, median: 60 });
	});

	it('handles no attempts', () => {
		expect(summary([], 70)).toEqual({ attempts: 0, passed: 0, passRate: 0, mean: null, median: null });
	});
});
