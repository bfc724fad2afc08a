import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { certificationHolding } from '../db/schema';
import { listCertifications } from '../certification/catalog';
import { latestCycle, renewalOpensAt, statusAt } from '../certification/lifecycle';
import { listTechnicians } from './queries';

/**
 * A technician's certifications at an instant: for each certification ever held, the status of
 * the latest cycle started by then, and every cycle (history). Null for an unknown technician.
 */
export async function certificationsOfTechnician(db: Executor, technicianId: string, at: Date) {
	const [tech] = await listTechnicians(db, { ids: [technicianId] });
	if (!tech) return null;
	const rows = await db
		.select()
		.from(certificationHolding)
		.where(eq(certificationHolding.userId, tech.technicianId))
		.orderBy(asc(certificationHolding.certificationId), asc(certificationHolding.grantedAt));
	const certifications = [];
	for (const def of listCertifications()) {
		const cycles = rows.filter((r) => r.certificationId === def.id);
		if (cycles.length === 0) continue;
		const started = cycles.filter((c) => c.grantedAt.getTime() <= at.getTime());
		const current = latestCycle(started);
		certifications.push({
			certificationId: def.id,
			title: def.title.en ?? def.id,
			status: current ? statusAt(current, def, at) : 'not-yet-valid',
			level: current ? current.level : null,
			validFrom: current ? current.grantedAt : null,
			expiresAt: current ? current.expiresAt : null,
			renewalOpensAt: current ? renewalOpensAt(current, def) : null,
			cycles: cycles.map((c) => ({
				id: c.id,
				level: c.level,
				grantedAt: c.grantedAt,
				expiresAt: c.expiresAt,
				revokedAt: c.revokedAt,
				revokeReason: c.revokeReason,
				renewedFromId: c.renewedFromId,
				grantedByHand: c.grantedBy !== null,
				verifyCode: c.verifyCode
			}))
		});
	}
	return { technician: tech, certifications };
}

