/**
 * What assigning a course, or changing a person's team, does to each person's assignment rows,
 * worked out from the rows as they are — before anything is written, so that a trainer can be
 * shown it and asked to confirm.
 */

/** A person's current assignment row of one course. */
export interface ExistingRow {
	userId: string;
	/** The team it came from; null for a course assigned to the person by name. */
	teamId: string | null;
	dueAt: Date;
}

export interface PlanPerson {
	id: string;
	displayName: string;
	/** Every current lesson of the course done: shown to the trainer, the assignment is made all the same. */
	completed: boolean;
}

export type PersonChange =
	| { kind: 'new' }
	| { kind: 'move'; from: Date }
	| { kind: 'same' }
	/** Not overwritten by a team's date: assigned by name, or given a date of their own. */
	| { kind: 'keep'; due: Date; why: 'individual' | 'own-date' };

export interface PlannedPerson {
	userId: string;
	displayName: string;
	completed: boolean;
	/** How the person is reached: as a member of the team, or chosen by name. */
	via: 'team' | 'individual';
	change: PersonChange;
}

export interface AssignmentPlan {
	/** The team's own assignment: its date now (null when new) and the date asked for. */
	team: { id: string; from: Date | null; to: Date } | null;
	dueAt: Date;
	people: PlannedPerson[];
	/** Members the team's course was removed for: passed by, it stays removed. */
	excluded: Array<{ userId: string; displayName: string; completed: boolean }>;
	/** Rows to write (insert or update), with the team they count as coming from. */
	writes: Array<{ userId: string; teamId: string | null }>;
	/** People chosen by name whose removal from a team's course ends: the course is theirs again. */
	clears: string[];
	/** Something other than new assignments would happen: a date moves, one is kept on purpose, or someone is passed by. */
	needsConfirmation: boolean;
}

export interface AssignmentRequest {
	/** The team assigned, with the date of its current assignment of the course (null: none yet). */
	team: { id: string; dueAt: Date | null } | null;
	/** The team's current active technicians. */
	members: PlanPerson[];
	/** Technicians chosen by name. */
	individuals: PlanPerson[];
	/** The course's current rows of every person above. */
	rows: ExistingRow[];
	/** People above the course was removed for while in their team (see removePersonAssignment). */
	excluded?: string[];
	dueAt: Date;
}

const same = (a: Date, b: Date) => a.getTime() === b.getTime();

/**
 * Rule "assigning a course again": a person chosen by name gets the date asked for, and their row
 * becomes their own. A team's members get the team's date, except who holds the course by name
 * (that date was set for them) or holds it from the team with a date changed for them alone
 * (different from the team's date before): those dates are kept, never overwritten by the team's.
 * Rule "removals stick": a member the course was removed for is passed by, whatever the date;
 * choosing them by name gives it back and ends the removal.
 */
export function planAssignment(request: AssignmentRequest): AssignmentPlan {
	const rows = new Map(request.rows.map((r) => [r.userId, r]));
	const chosen = new Set(request.individuals.map((p) => p.id));
	const removed = new Set(request.excluded ?? []);
	const people: PlannedPerson[] = [];
	const excluded: AssignmentPlan['excluded'] = [];
	const writes: AssignmentPlan['writes'] = [];
	const clears = request.individuals.filter((p) => removed.has(p.id)).map((p) => p.id);
	const team = request.team;
	for (const person of request.individuals) {
		const row = rows.get(person.id);
		const change: PersonChange = !row ? { kind: 'new' } : same(row.dueAt, request.dueAt) ? { kind: 'same' } : { kind: 'move', from: row.dueAt };
		people.push({ userId: person.id, displayName: person.displayName, completed: person.completed, via: 'individual', change });
		if (!row || change.kind !== 'same' || row.teamId !== null) writes.push({ userId: person.id, teamId: null });
	}
	if (team) {
		for (const person of request.members) {
			if (chosen.has(person.id)) continue;
			if (removed.has(person.id)) {
				excluded.push({ userId: person.id, displayName: person.displayName, completed: person.completed });
				continue;
			}
			const row = rows.get(person.id);
			let change: PersonChange;
			if (!row) change = { kind: 'new' };
			else if (row.teamId !== team.id) change = { kind: 'keep', due: row.dueAt, why: 'individual' };
			else if (team.dueAt && !same(row.dueAt, team.dueAt) && !same(row.dueAt, request.dueAt)) change = { kind: 'keep', due: row.dueAt, why: 'own-date' };
			else if (same(row.dueAt, request.dueAt)) change = { kind: 'same' };
			else change = { kind: 'move', from: row.dueAt };
			people.push({ userId: person.id, displayName: person.displayName, completed: person.completed, via: 'team', change });
			if (change.kind === 'new' || change.kind === 'move') writes.push({ userId: person.id, teamId: team.id });
		}
	}
	const teamMoves = Boolean(team?.dueAt && !same(team.dueAt, request.dueAt));
	return {
		team: team ? { id: team.id, from: team.dueAt, to: request.dueAt } : null,
		dueAt: request.dueAt,
		people,
		excluded,
		writes,
		clears,
		needsConfirmation: teamMoves || excluded.length > 0 || people.some((p) => p.change.kind === 'move' || p.change.kind === 'keep')
	};
}

/** A course of the team a person joins. */
export interface TeamCourse {
	courseSlug: string;
	dueAt: Date;
}

export interface MembershipChange {
	/** Courses whose row goes (it came from the team left). */
	remove: string[];
	/** Rows to write: from the team joined, with its date. */
	write: Array<{ courseSlug: string; dueAt: Date }>;
	/** What to tell the person. */
	notices: Array<{ courseSlug: string; kind: 'assigned' | 'redated' | 'removed'; dueAt: Date }>;
	/** The team left, whose courses removed for the person are forgotten (null: none left). */
	forgetExclusionsOf: string | null;
}

/**
 * Rule "assignments follow the team": leaving a team ends the assignments that came from it (those
 * given by name stay) and forgets the courses removed for the person in it, so that coming back
 * is like joining; joining one brings its courses with its due dates, unless the person already
 * holds the course another way or it was removed for them. A course both teams assign moves to the
 * new team's date. Only an active technician is given courses: one who becomes one again inside
 * their team is planned as joining it (from null). Progress lives apart from these rows and is
 * never lost.
 */
export function planMembershipChange(input: {
	rows: Array<ExistingRow & { courseSlug: string }>;
	from: string | null;
	to: string | null;
	toCourses: TeamCourse[];
	assignable: boolean;
	/** Courses of the team joined that were removed for the person and stay removed. */
	excluded?: string[];
}): MembershipChange {
	const change: MembershipChange = { remove: [], write: [], notices: [], forgetExclusionsOf: null };
	if (input.from === input.to) return change;
	change.forgetExclusionsOf = input.from;
	const removed = new Set(input.excluded ?? []);
	const incoming = new Map((input.assignable && input.to ? input.toCourses : []).filter((c) => !removed.has(c.courseSlug)).map((c) => [c.courseSlug, c.dueAt]));
	const held = new Map(input.rows.map((r) => [r.courseSlug, r]));
	for (const row of input.rows) {
		if (input.from === null || row.teamId !== input.from) continue;
		const due = incoming.get(row.courseSlug);
		if (due) {
			change.write.push({ courseSlug: row.courseSlug, dueAt: due });
			if (!same(due, row.dueAt)) change.notices.push({ courseSlug: row.courseSlug, kind: 'redated', dueAt: due });
		} else {
			change.remove.push(row.courseSlug);
			change.notices.push({ courseSlug: row.courseSlug, kind: 'removed', dueAt: row.dueAt });
		}
	}
	for (const [courseSlug, dueAt] of incoming) {
		if (held.has(courseSlug)) continue;
		change.write.push({ courseSlug, dueAt });
		change.notices.push({ courseSlug, kind: 'assigned', dueAt });
	}
	return change;
}
