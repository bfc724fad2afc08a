import type { PageServerLoad } from './$types';
import { listCertifications } from '$lib/server/certification/catalog';
import { listTechnicianStandings } from '$lib/server/certification/manual';
import { formatDay } from '$lib/format';

export const load: PageServerLoad = async ({ locals, url }) => {
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const definitions = listCertifications();
	const zone = locals.user?.organisationTimeZone ?? 'UTC';
	const technicians = await listTechnicianStandings(locals.db, definitions, { q: q || undefined });
	return {
		q,
		certifications: definitions.map((d) => ({ id: d.id, title: d.title[locals.locale] ?? d.title.en ?? d.id })),
		technicians: technicians.map((t) => ({
			...t,
			standings: Object.fromEntries(
				Object.entries(t.standings).map(([id, s]) => [id, { status: s.status, level: s.level, expiresAt: s.expiresAt ? formatDay(s.expiresAt, zone) : null }])
			)
		}))
	};
};
