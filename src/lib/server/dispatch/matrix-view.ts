import type { Executor } from '../db/types';
import { listCertifications } from '../certification/catalog';
import { certificationMatrix } from './matrix';
import { holdingsFor, listTechnicians, managerScope } from './queries';

export const SOON_CHOICES = [14, 30, 60, 90] as const;

/** Reads the matrix filters from the query string; anything unexpected falls back to the default. */
export function matrixFilters(params: URLSearchParams, teamIds: string[]) {
	const soon = Number(params.get('days'));
	const team = params.get('team') ?? '';
	return {
		soonDays: (SOON_CHOICES as readonly number[]).includes(soon) ? soon : 30,
		onlyExpiring: params.get('expiring') === '1',
		teamId: teamIds.includes(team) ? team : null
	};
}

/** The certification matrix of a manager's teams: three queries whatever the team sizes. */
export async function managerMatrix(db: Executor, managerId: string, params: URLSearchParams, now = new Date()) {
	const scope = await managerScope(db, managerId);
	const filters = matrixFilters(params, scope.teamIds);
	const definitions = listCertifications();
	const technicians = await listTechnicians(db, { teamIds: filters.teamId ? [filters.teamId] : scope.teamIds });
	const holdings = await holdingsFor(
		db,
		technicians.map((t) => t.technicianId),
		definitions.map((d) => d.id)
	);
	const rows = certificationMatrix(definitions, technicians, holdings, now, filters);
	return { scope, filters, definitions, rows };
}
