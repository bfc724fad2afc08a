import { m } from '$lib/paraglide/messages.js';

export const MOOD_LABEL: Record<string, () => string> = {
	furious: m.mood_furious,
	angry: m.mood_angry,
	upset: m.mood_upset,
	worried: m.mood_worried,
	neutral: m.mood_neutral,
	calm: m.mood_calm,
	pleased: m.mood_pleased
};

export const MOOD_ICON: Record<string, string> = {
	furious: '😡',
	angry: '😠',
	upset: '😟',
	worried: '😰',
	neutral: '😐',
	calm: '🙂',
	pleased: '😊'
};

export const COMPETENCY_LABEL: Record<string, () => string> = {
	listening: m.competency_listening,
	empathy: m.competency_empathy,
	problemSolving: m.competency_problemSolving,
	professionalism: m.competency_professionalism,
	productAccuracy: m.competency_productAccuracy
};

export const OUTCOME_LABEL: Record<string, () => string> = {
	resolved: m.scenario_outcome_resolved,
	escalated: m.scenario_outcome_escalated,
	lost: m.scenario_outcome_lost
};
