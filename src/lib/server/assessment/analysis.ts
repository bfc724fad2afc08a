import { isPassed } from './grade';

/** One graded attempt as item analysis needs it (pass first attempts only). */
export interface AnalysedAttempt {
	items: Array<{ questionId: string; score: number; max: number }>;
}

export interface ItemStatistics {
	questionId: string;
	/** Attempts that had the question. */
	n: number;
	/** Facility index: mean of score / max, × 100 (0–100). */
	facility: number;
	/** Sample standard deviation (n − 1) of score / max, × 100 like facility; 0 when n < 2. */
	sd: number;
	/**
	 * Discrimination index: Pearson correlation × 100 between the item's score and the score on
	 * the rest of the test (attempt total minus this item), over attempts that had the item.
	 * null when n < 2 or either variance is 0.
	 */
	discrimination: number | null;
	flags: {
		/** facility > 90 */
		easy: boolean;
		/** facility < 20 */
		hard: boolean;
		/** discrimination < 20 (Moodle highlights low discrimination). */
		weak: boolean;
		/** discrimination < 0: better candidates do worse on it. */
		negative: boolean;
	};
}

function mean(xs: readonly number[]): number {
	return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Pearson correlation of two equal-length series; null when n < 2 or a variance is 0. */
function pearson(xs: readonly number[], ys: readonly number[]): number | null {
	const n = xs.length;
	if (n < 2) return null;
	const mx = mean(xs);
	const my = mean(ys);
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		const dx = (xs[i] as number) - mx;
		const dy = (ys[i] as number) - my;
		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	// Sums of squares below this are rounding noise from equal values, i.e. no variance.
	if (sxx <= 1e-12 || syy <= 1e-12) return null;
	return sxy / Math.sqrt(sxx * syy);
}

/**
 * Item analysis as in Moodle's quiz statistics, over the attempts given (the caller passes
 * first attempts only): per question the number of attempts that had it, the facility index,
 * the standard deviation of the item fraction, and the discrimination index (item score vs.
 * rest-of-test score, Pearson × 100), with flags easy (> 90), hard (< 20), weak discrimination
 * (< 20) and negative discrimination (< 0). Questions come in order of first appearance.
 * Items with max 0 count as fraction 0. Values are not rounded.
 */
export function itemAnalysis(attempts: readonly AnalysedAttempt[]): ItemStatistics[] {
	const series = new Map<string, { fractions: number[]; scores: number[]; rest: number[] }>();
	for (const attempt of attempts) {
		const total = attempt.items.reduce((sum, item) => sum + item.score, 0);
		for (const item of attempt.items) {
			let s = series.get(item.questionId);
			if (!s) {
				s = { fractions: [], scores: [], rest: [] };
				series.set(item.questionId, s);
			}
			s.fractions.push(item.max > 0 ? item.score / item.max : 0);
			s.scores.push(item.score);
			s.rest.push(total - item.score);
		}
	}
	return [...series].map(([questionId, s]) => {
		const n = s.fractions.length;
		const m = mean(s.fractions);
		const sd = n < 2 ? 0 : Math.sqrt(s.fractions.reduce((a, f) => a + (f - m) ** 2, 0) / (n - 1)) * 100;
		const r = pearson(s.scores, s.rest);
		const facility = m * 100;
		const discrimination = r === null ? null : r * 100;
		return {
			questionId,
			n,
			facility,
			sd,
			discrimination,
			flags: {
				easy: facility > 90,
				hard: facility < 20,
				weak: discrimination !== null && discrimination < 20,
				negative: discrimination !== null && discrimination < 0
			}
		};
	});
}

/**
 * Score distribution (the histogram of Moodle's quiz overview): counts of attempts per band of
 * 100 / bins points — with 10 bins [0–10), [10–20), …, [90–100], 100 going into the last band.
 * Percents below 0 or above 100 go into the first or last band; non-finite values are skipped.
 */
export function scoreDistribution(percents: readonly number[], bins = 10): number[] {
	if (!Number.isInteger(bins) || bins < 1) throw new RangeError('bins must be a positive integer');
	const counts = new Array<number>(bins).fill(0);
	for (const p of percents) {
		if (!Number.isFinite(p)) continue;
		const band = Math.min(bins - 1, Math.max(0, Math.floor((p * bins) / 100)));
		counts[band] = (counts[band] ?? 0) + 1;
	}
	return counts;
}

export interface AttemptSummary {
	attempts: number;
	/** Attempts at or above the pass mark. */
	passed: number;
	/** passed / attempts × 100, one decimal; 0 when there are no attempts. */
	passRate: number;
	/** One decimal; null when there are no attempts. */
	mean: number | null;
	/** One decimal; null when there are no attempts. */
	median: number | null;
}

function round1(x: number): number {
	return Math.round(x * 10) / 10;
}

/**
 * Summary of attempt percents: count, passed (pass rule: percent ≥ pass mark, as `isPassed`),
 * pass rate, mean and median (mean of the two middle values for an even count).
 */
export function summary(percents: readonly number[], passMark: number): AttemptSummary {
	const n = percents.length;
	if (n === 0) return { attempts: 0, passed: 0, passRate: 0, mean: null, median: null };
	const passed = percents.filter((p) => isPassed(p, passMark)).length;
	const sorted = [...percents].sort((a, b) => a - b);
	const mid = Math.floor(n / 2);
	const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
	return { attempts: n, passed, passRate: round1((passed / n) * 100), mean: round1(mean(percents)), median: round1(median) };
}
