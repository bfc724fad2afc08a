/**
 * What the studio's editors need in the browser, kept apart from the schemas and YAML (which
 * are server-side: the schema library compiles validators with `new Function`, refused by the
 * page's Content-Security-Policy).
 */

/** How many rows a list of an editor has in `fields` (`options.3.…` → 4). */
export function rowCount(fields: Record<string, string>, list: string): number {
	let n = 0;
	for (const key of Object.keys(fields)) {
		const m = new RegExp(`^${list.replace(/\./g, '\\.')}\\.(\\d{1,2})\\.`).exec(key);
		if (m) n = Math.max(n, Number(m[1]) + 1);
	}
	return n;
}

export const COMPETENCY_FIELDS = ['listening', 'empathy', 'problemSolving', 'professionalism', 'productAccuracy'] as const;
export const MOOD_VALUES = ['furious', 'angry', 'upset', 'worried', 'neutral', 'calm', 'pleased'] as const;
export const OUTCOME_VALUES = ['resolved', 'escalated', 'lost'] as const;

/** Size of a node box in the scenario graph (the layout is computed on the server). */
export const NODE_W = 150;
export const NODE_H = 44;
