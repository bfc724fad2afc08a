import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { certificationHolding, user } from '../db/schema';
import { findCertification } from './catalog';
import { holdingColumns } from './queries';
import { statusAt } from './lifecycle';
import { renderCertificate, type CertificateLocale } from './pdf';
import { calendarDay } from '../../zoned-time';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The facts of one certificate a technician may download: their own cycle, currently valid (active
 * or in its renewal window). Null for anything else — someone else's cycle, a revoked or expired one,
 * a malformed id, a certification no longer defined — so that the caller answers 404 alike.
 */
export async function findCertificate(db: Executor, userId: string, holdingId: string, now = new Date()) {
	if (!UUID.test(holdingId)) return null;
	const [row] = await db
		.select({
			...holdingColumns,
			verifyCode: certificationHolding.verifyCode,
			holderName: user.displayName
		})
		.from(certificationHolding)
		.innerJoin(user, eq(user.id, certificationHolding.userId))
		.where(and(eq(certificationHolding.id, holdingId), eq(certificationHolding.userId, userId)));
	const def = row ? findCertification(row.certificationId) : undefined;
	if (!row || !def) return null;
	const status = statusAt(row, def, now);
	if (status !== 'active' && status !== 'renewal-due') return null;
	return { ...row, title: def.title, levels: def.levels };
}

/**
 * The certificate's PDF in `locale`, with its QR code pointing at `<origin>/verify/<code>`, and a
 * file name for it; dates are calendar days in the organisation's zone.
 */
export async function certificatePdf(found: NonNullable<Awaited<ReturnType<typeof findCertificate>>>, locale: CertificateLocale, origin: string, organisationTimeZone: string) {
	const bytes = await renderCertificate({
		locale,
		holderName: found.holderName,
		certificationTitle: found.title[locale] ?? found.title.en ?? found.certificationId,
		level: found.level,
		levels: found.levels,
		grantedAt: found.grantedAt,
		expiresAt: found.expiresAt,
		verifyCode: found.verifyCode,
		verifyUrl: `${origin}/verify/${found.verifyCode}`,
		timeZone: organisationTimeZone
	});
	const level = found.levels > 1 ? `-level-${found.level}` : '';
	const name = `certificate-${found.certificationId}${level}-${calendarDay(found.grantedAt, organisationTimeZone)}`.replace(/[^A-Za-z0-9._-]/g, '-');
	return { bytes, filename: `${name}.pdf` };
}
