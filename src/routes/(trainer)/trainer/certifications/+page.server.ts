import type { PageServerLoad } from './$types';
import { listCertifications } from '$lib/server/certification/catalog';
import { listTechnicianStandings } from '$lib/server/certification/manual';

export const load: PageServerLoad = async ({ locals, url }) => {
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const definitions = listCertifications();
	const technicians = await listTechnicianStandings(locals.db, definitions, { q: q || undefined });
	return {
		q,
		certifications: definitions.map((d) => ({ id: d.id, title: d.title[locals.locale] ?? d.title.en ?? d.id })),
		technicians: technicians.map((t) => ({
			...t,
			standings: Object.fromEntries(
				Object.entries(t.standings).map(([id, s]) => [id, { status: s.status, level: s.level, expiresAt: s.expiresAt?.toISOString().slice(0, 10) ?? null }])
			)
		}))
	};
};
