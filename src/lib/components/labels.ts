import { m } from '$lib/paraglide/messages.js';

/**
 * Words for stored codes (roles, categories, product lines, progress stages), in the current
 * language. Forms keep sending the codes; only what is shown changes. An unknown code is shown as is.
 */
const label = (table: Record<string, () => string>) => (code: string) => (Object.hasOwn(table, code) ? table[code]!() : code);

/** A role as a badge or checkbox label (English: the code itself). */
export const roleLabel = label({
	technician: m.role_technician,
	trainer: m.role_trainer,
	manager: m.role_manager,
	admin: m.role_admin
});

/** A role inside a sentence (English: lower case, "service manager"). */
export const roleName = label({
	technician: m.role_name_technician,
	trainer: m.role_name_trainer,
	manager: m.role_name_manager,
	admin: m.role_name_admin
});

export const categoryLabel = label({
	product: m.category_product,
	etiquette: m.category_etiquette,
	communication: m.category_communication
});

export const productLineLabel = label({
	'water-purifier': m.line_water_purifier,
	'home-appliance': m.line_home_appliance,
	'beauty-counter': m.line_beauty_counter,
	general: m.line_general
});

/** An account's state in user lists: the filter codes and the badges. */
export const statusLabel = label({
	all: m.status_all,
	active: m.status_active,
	pending: m.status_pending,
	invited: m.status_invited,
	inactive: m.status_inactive
});

/** A learner's stage in a course report. */
export const stageLabel = label({
	finished: m.stage_finished,
	started: m.stage_started,
	'not started': m.stage_not_started,
	overdue: m.stage_overdue
});

export const questionTypeLabel = label({
	single: m.question_type_single,
	multiple: m.question_type_multiple,
	truefalse: m.question_type_truefalse,
	ordering: m.question_type_ordering,
	matching: m.question_type_matching,
	numeric: m.question_type_numeric,
	text: m.question_type_text
});
