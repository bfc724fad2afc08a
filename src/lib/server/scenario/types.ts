import type { Localized } from '../assessment/types';

export const COMPETENCIES = ['listening', 'empathy', 'problemSolving', 'professionalism', 'productAccuracy'] as const;
export type Competency = (typeof COMPETENCIES)[number];
export type Scores = Partial<Record<Competency, number>>;

export const MOODS = ['furious', 'angry', 'upset', 'worried', 'neutral', 'calm', 'pleased'] as const;
export type Mood = (typeof MOODS)[number];

export const OUTCOMES = ['resolved', 'escalated', 'lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Choice {
	id: string;
	text: Localized;
	next: string;
	feedback: Localized;
	/** Score change per competency (may be negative). Never sent to the browser. */
	scores: Scores;
}

export interface ScenarioNode {
	id: string;
	/** Who speaks: usually the customer; sometimes another person on site. */
	speaker?: Localized;
	mood: Mood;
	line: Localized;
	/** Empty on terminal nodes. */
	choices: Choice[];
	/** Set on terminal nodes only. */
	outcome?: Outcome;
	/** What happened, shown at the end (terminal nodes). */
	summary?: Localized;
	/**
	 * Terminal nodes: replies (`node.reply`) the summary says were made, and replies it says were
	 * not made. The checker refuses an ending that some path reaches otherwise.
	 */
	assumes?: string[];
	excludes?: string[];
}

export interface Scenario {
	id: string;
	courseSlug: string;
	title: Localized;
	summary: Localized;
	/** Percent of the best possible total needed to pass. */
	passMark: number;
	start: string;
	nodes: ScenarioNode[];
	file: string;
}
