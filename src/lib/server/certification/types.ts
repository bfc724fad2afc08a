/**
 * Plain data for certifications: what a certification asks for, the cycles a technician has held,
 * and the facts (evidence) the lifecycle and eligibility rules read. No behaviour lives here.
 */

/**
 * One thing a technician must have achieved.
 * - `course`: the course was completed.
 * - `quiz` / `scenario`: the best percent on that quiz / scenario of that course is at least `minScore` (0–100).
 */
export type Requirement =
	| { kind: 'course'; course: string }
	| { kind: 'quiz'; course: string; quiz: string; minScore: number }
	| { kind: 'scenario'; course: string; scenario: string; minScore: number };

/** A certification as authored in content. */
export interface CertificationDefinition {
	/** Stable id, e.g. `home-visit-etiquette`. */
	id: string;
	/** Title per locale, e.g. `{ en: 'Home visit etiquette', 'zh-CN': '上门服务礼仪' }`. */
	title: Record<string, string>;
	/** Number of levels, 1–3. */
	levels: number;
	/** How long one cycle is valid, in calendar days (UTC). */
	validityDays: number;
	/** How many days before expiry the renewal window opens (smaller than `validityDays`). */
	renewalWindowDays: number;
	/** Full requirements per level: `requirements[level - 1]`. */
	requirements: Requirement[][];
	/** Lighter requirements that renew a cycle while it is inside its renewal window. */
	renewal: Requirement[];
}

/** One certification cycle of one technician. History: cycles are never deleted, only revoked. */
export interface Holding {
	id: string;
	certificationId: string;
	level: number;
	grantedAt: Date;
	expiresAt: Date;
	revokedAt: Date | null;
	revokeReason: string | null;
	/** The cycle this one continues (renewal or upgrade); null for a fresh grant. */
	renewedFromId: string | null;
	/** Set by a material change to a required course: renewal-due from then (see lifecycle.ts). */
	renewalDueFrom?: Date | null;
	/** The expiry before a material change moved it to the renew-by date. */
	expiresBeforeChange?: Date | null;
	/** Courses a material change asks the holder to complete again. */
	relearn?: string[];
}

/** Facts about one technician; `at` is when each was achieved. */
export interface Evidence {
	coursesCompleted: Array<{ course: string; at: Date }>;
	quizBest: Array<{ course: string; quiz: string; percent: number; at: Date }>;
	scenarioBest: Array<{ course: string; scenario: string; percent: number; at: Date }>;
}
