import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { freshDb, type TestDb } from '../helpers/db';
import { refusal } from '../helpers/errors';
import { auditEvent, certificationHolding, webhook, webhookDelivery } from '../../src/lib/server/db/schema';
import { createUser, setActive } from '../../src/lib/server/users';
import { listCertifications } from '../../src/lib/server/certification/catalog';
import { cyclesOf, findTechnician, grantByHand, listTechnicianStandings, revokeByHand } from '../../src/lib/server/certification/manual';
import { certificatePdf, findCertificate } from '../../src/lib/server/certification/certificate';
import { evaluateCertifications, findByVerifyCode } from '../../src/lib/server/certification/queries';
import { statusAt } from '../../src/lib/server/certification/lifecycle';
import { load as verifyLoad } from '../../src/routes/(public)/verify/[code]/+page.server';
import { calendarDay } from '../../src/lib/zoned-time';

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T09:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

let t: TestDb;
let trainer: string;
let ben: string;
let li: string;
let manager: string;
let amy: string;
let gone: string;
let hookId: string;

beforeAll(async () => {
	t = await freshDb();
	trainer = (await createUser(t.db, { email: 'grace@example.com', displayName: 'Grace Lin', roles: ['trainer'] }, null)).id;
	ben = (await createUser(t.db, { email: 'ben@example.com', displayName: 'Ben Ortiz', roles: ['technician'] }, null)).id;
	li = (await createUser(t.db, { email: 'li.na@example.com', displayName: '李娜', roles: ['technician'], locale: 'zh-CN' }, null)).id;
	manager = (await createUser(t.db, { email: 'marcus@example.com', displayName: 'Marcus', roles: ['manager'] }, null)).id;
	amy = (await createUser(t.db, { email: 'amy@example.com', displayName: 'Amy', roles: ['technician', 'trainer'] }, null)).id;
	gone = (await createUser(t.db, { email: 'gone@example.com', displayName: 'Gone', roles: ['technician'] }, null)).id;
	await setActive(t.db, gone, false, null);
	const [hook] = await t.db
		.insert(webhook)
		.values({ url: 'https://dispatch.example.com/hooks', secret: 's3cret', events: ['certification.granted', 'certification.revoked'] })
		.returning();
	hookId = hook!.id;
	// An inactive webhook and one for other events get nothing.
	await t.db.insert(webhook).values([
		{ url: 'https://old.example.com/hooks', secret: 'x', events: ['certification.granted', 'certification.revoked'], active: false },
		{ url: 'https://expiry.example.com/hooks', secret: 'y', events: ['certification.expired'] }
	]);
});
afterAll(() => t.dispose());

/** Everything a refusal must leave alone. */
async function snapshot() {
	const [holdings, audit, deliveries] = await Promise.all([
		t.db.select().from(certificationHolding).orderBy(asc(certificationHolding.id)),
		t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent),
		t.db.select({ n: sql<number>`count(*)::int` }).from(webhookDelivery)
	]);
	return { holdings, audit: audit[0]!.n, deliveries: deliveries[0]!.n };
}

async function deliveriesFor(holdingId: string) {
	const rows = await t.db.select().from(webhookDelivery).orderBy(asc(webhookDelivery.id));
	return rows.filter((r) => (r.payload as { data: { holdingId: string } }).data.holdingId === holdingId);
}

async function auditOf(subjectId: string) {
	return t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, subjectId)).orderBy(asc(auditEvent.id));
}

const evidence = 'Installed three RO units under supervision at the Tianjin service centre; seen by Grace Lin.';

describe('granting by hand', () => {
	let first: string;

	it('grants a new cycle from now, audited and published to the subscribed webhook in the same change', async () => {
		const granted = await grantByHand(t.db, { technicianId: ben, certificationId: 'complaint-handling', level: 1, evidence: `  ${evidence}  `, actorId: trainer }, T0);
		expect(granted).toMatchObject({ action: 'grant', certificationId: 'complaint-handling', level: 1, expiresAt: at(365), technicianName: 'Ben Ortiz' });
		first = granted.holdingId;

		const [row] = await t.db.select().from(certificationHolding).where(eq(certificationHolding.id, first));
		expect(row).toMatchObject({ userId: ben, level: 1, grantedAt: T0, expiresAt: at(365), grantedBy: trainer, renewedFromId: null, revokedAt: null });
		expect(row!.evidence).toEqual([{ kind: 'note', text: evidence, at: T0.toISOString() }]);
		expect(row!.verifyCode).toMatch(/^[A-Za-z0-9_-]{16}$/);

		const audit = await auditOf(first);
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actorId: trainer, action: 'certification.granted_by_hand', subjectType: 'certification' });
		expect(audit[0]!.detail).toMatchObject({ technicianId: ben, certificationId: 'complaint-handling', level: 1, evidence });

		const deliveries = await deliveriesFor(first);
		expect(deliveries).toHaveLength(1);
		expect(deliveries[0]).toMatchObject({ webhookId: hookId, event: 'certification.granted' });
		expect((deliveries[0]!.payload as { data: unknown }).data).toEqual({
			holdingId: first,
			technicianId: ben,
			certificationId: 'complaint-handling',
			level: 1,
			grantedAt: T0.toISOString(),
			expiresAt: at(365).toISOString(),
			action: 'manual'
		});
	});

	it('upgrades a valid lower level: a new cycle linked to the old one, with a new validity', async () => {
		const upgraded = await grantByHand(t.db, { technicianId: ben, certificationId: 'complaint-handling', level: 2, evidence: 'Handled the refund case live.', actorId: trainer }, at(10));
		expect(upgraded).toMatchObject({ action: 'upgrade', level: 2, expiresAt: at(375) });
		const [row] = await t.db.select().from(certificationHolding).where(eq(certificationHolding.id, upgraded.holdingId));
		expect(row).toMatchObject({ level: 2, renewedFromId: first, grantedAt: at(10), expiresAt: at(375) });
		expect((await auditOf(upgraded.holdingId))[0]!.detail).toMatchObject({ kind: 'upgrade', renewedFromId: first, level: 2 });
		expect(await deliveriesFor(upgraded.holdingId)).toHaveLength(1);
		// Nothing was changed on the old cycle.
		const [old] = await t.db.select().from(certificationHolding).where(eq(certificationHolding.id, first));
		expect(old).toMatchObject({ level: 1, revokedAt: null, expiresAt: at(365) });
	});

	it('refuses with the field and a clear message, and changes nothing', async () => {
		const before = await snapshot();
		const grant = (over: Partial<Parameters<typeof grantByHand>[1]>) =>
			refusal(grantByHand(t.db, { technicianId: ben, certificationId: 'complaint-handling', level: 2, evidence, actorId: trainer, ...over }, at(20)));

		expect(await grant({})).toMatchObject({ field: 'level', status: 400, message: 'Already holds level 2, valid until 2027-06-11. Grant a higher level, or revoke first.' });
		expect(await grant({ level: 1 })).toMatchObject({ field: 'level', status: 400, message: expect.stringMatching(/Already holds level 2/) });
		expect(await grant({ level: 3 })).toMatchObject({ field: 'level', status: 400, message: 'This certification has levels 1 to 2 only.' });
		expect(await grant({ level: 0 })).toMatchObject({ field: 'level', status: 400 });
		expect(await grant({ certificationId: 'customer-care', level: 2 })).toMatchObject({ field: 'level', message: 'This certification has only level 1.' });
		expect(await grant({ certificationId: 'cooking' })).toMatchObject({ field: 'certification', status: 400, message: 'Choose a certification from the list.' });
		expect(await grant({ evidence: ' \n ' })).toMatchObject({ field: 'evidence', status: 400, message: 'Evidence is required.' });
		expect(await grant({ evidence: 'x'.repeat(2001) })).toMatchObject({ field: 'evidence', status: 400, message: 'Evidence must be at most 2000 characters.' });
		expect(await grant({ technicianId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ field: null, status: 404 });
		expect(await grant({ technicianId: 'not-a-uuid' })).toMatchObject({ status: 404 });
		expect(await grant({ technicianId: manager })).toMatchObject({ status: 404, message: 'No active technician has this id.' });
		expect(await grant({ technicianId: gone })).toMatchObject({ status: 404 });
		expect(await refusal(grantByHand(t.db, { technicianId: amy, certificationId: 'customer-care', level: 1, evidence, actorId: amy }, at(20)))).toMatchObject({ status: 403 });

		expect(await snapshot()).toEqual(before);
		// A 2000-character evidence text is accepted.
		await grantByHand(t.db, { technicianId: amy, certificationId: 'customer-care', level: 1, evidence: 'y'.repeat(2000), actorId: trainer }, at(20));
	});
});

describe('revoking by hand', () => {
	it('revokes the certification: every valid cycle of it, with reason and trainer, audited and published per cycle', async () => {
		const cycles = (await cyclesOf(t.db, ben)).filter((c) => c.certificationId === 'complaint-handling');
		const upgrade = cycles.find((c) => c.level === 2)!;
		const first = cycles.find((c) => c.level === 1)!;
		const before = await findByVerifyCode(t.db, upgrade.verifyCode);
		const def = listCertifications().find((d) => d.id === 'complaint-handling')!;
		expect(statusAt(before!, def, at(30))).toBe('active');

		const revoked = await revokeByHand(t.db, { technicianId: ben, holdingId: upgrade.id, reason: '  Shared the exam answers with the team.  ', actorId: trainer }, at(30));
		expect(revoked).toMatchObject({ certificationId: 'complaint-handling', revokedAt: at(30), technicianName: 'Ben Ortiz' });
		expect([...revoked.revoked].sort()).toEqual([first.id, upgrade.id].sort());

		for (const cycle of [first, upgrade]) {
			const [row] = await t.db.select().from(certificationHolding).where(eq(certificationHolding.id, cycle.id));
			expect(row).toMatchObject({ revokedAt: at(30), revokeReason: 'Shared the exam answers with the team.', revokedBy: trainer });
			const audit = (await auditOf(cycle.id)).filter((a) => a.action === 'certification.revoked');
			expect(audit).toHaveLength(1);
			expect(audit[0]).toMatchObject({ actorId: trainer, subjectType: 'certification' });
			expect(audit[0]!.detail).toMatchObject({ technicianId: ben, certificationId: 'complaint-handling', level: cycle.level, reason: 'Shared the exam answers with the team.' });
			const events = (await deliveriesFor(cycle.id)).filter((d) => d.event === 'certification.revoked');
			expect(events).toHaveLength(1);
			expect((events[0]!.payload as { data: unknown }).data).toMatchObject({
				holdingId: cycle.id,
				technicianId: ben,
				level: cycle.level,
				revokedAt: at(30).toISOString(),
				reason: 'Shared the exam answers with the team.'
			});
		}

		// The history names who granted and who revoked.
		const history = await cyclesOf(t.db, ben);
		expect(history.filter((c) => c.certificationId === 'complaint-handling').map((c) => [c.level, c.grantedByName, c.revokedByName])).toEqual([
			[2, 'Grace Lin', 'Grace Lin'],
			[1, 'Grace Lin', 'Grace Lin']
		]);
	});

	it('shows "revoked" on the public page, with only name, certification, level, status and dates', async () => {
		const upgrade = (await cyclesOf(t.db, ben)).find((c) => c.certificationId === 'complaint-handling' && c.level === 2)!;
		const page = (await verifyLoad({
			locals: { db: t.db, locale: 'en' },
			params: { code: upgrade.verifyCode },
			setHeaders: () => {}
		} as unknown as Parameters<typeof verifyLoad>[0])) as Record<string, unknown>;
		expect(Object.keys(page).sort()).toEqual(['certification', 'expiresAt', 'grantedAt', 'level', 'name', 'status']);
		expect(page).toMatchObject({ name: 'Ben Ortiz', certification: 'Complaint handling', level: 2, status: 'revoked' });
		expect(JSON.stringify(page)).not.toContain('exam answers');
	});

	it('is not undone by the automatic grant: old evidence does not re-certify', async () => {
		expect(await evaluateCertifications(t.db, ben, listCertifications(), at(31))).toEqual([]);
	});

	it('refuses a revoked, expired, unknown or foreign cycle, and a missing or long reason, changing nothing', async () => {
		const [expired] = await t.db
			.insert(certificationHolding)
			.values({ userId: ben, certificationId: 'ro-purifier-service', level: 1, grantedAt: at(-800), expiresAt: at(-435), verifyCode: 'expiredcode00001' })
			.returning();
		const liCycle = await grantByHand(t.db, { technicianId: li, certificationId: 'home-visit-service', level: 1, evidence, actorId: trainer }, at(30));
		const upgrade = (await cyclesOf(t.db, ben)).find((c) => c.certificationId === 'complaint-handling' && c.level === 2)!;
		const before = await snapshot();
		const revoke = (over: Partial<Parameters<typeof revokeByHand>[1]>) =>
			refusal(revokeByHand(t.db, { technicianId: ben, holdingId: upgrade.id, reason: 'Again', actorId: trainer, ...over }, at(40)));

		expect(await revoke({})).toMatchObject({ field: 'reason', status: 400, message: 'This cycle is already revoked.' });
		expect(await revoke({ holdingId: expired!.id })).toMatchObject({ field: 'reason', status: 400, message: expect.stringMatching(/expired/) });
		expect(await revoke({ holdingId: liCycle.holdingId })).toMatchObject({ status: 404, message: 'This technician has no such certification cycle.' });
		expect(await revoke({ holdingId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
		expect(await revoke({ holdingId: 'x' })).toMatchObject({ status: 404 });
		expect(await revoke({ technicianId: li, holdingId: liCycle.holdingId, reason: '   ' })).toMatchObject({ field: 'reason', status: 400, message: 'Reason is required.' });
		expect(await revoke({ technicianId: li, holdingId: liCycle.holdingId, reason: 'r'.repeat(501) })).toMatchObject({ field: 'reason', message: 'Reason must be at most 500 characters.' });
		expect(await revoke({ technicianId: manager, holdingId: liCycle.holdingId })).toMatchObject({ status: 404 });
		expect(await revoke({ technicianId: amy, actorId: amy, holdingId: liCycle.holdingId })).toMatchObject({ status: 403 });
		expect(await snapshot()).toEqual(before);
	});

	it('lets a trainer grant again after a revocation, as a fresh cycle', async () => {
		const again = await grantByHand(t.db, { technicianId: ben, certificationId: 'complaint-handling', level: 1, evidence: 'Re-assessed on site.', actorId: trainer }, at(50));
		expect(again).toMatchObject({ action: 'grant', level: 1, expiresAt: at(415) });
		const [row] = await t.db.select().from(certificationHolding).where(eq(certificationHolding.id, again.holdingId));
		expect(row!.renewedFromId).toBeNull();
	});
});

describe('what trainers read', () => {
	it('lists active technicians with each certification’s standing, searchable by name or email', async () => {
		const defs = listCertifications();
		const all = await listTechnicianStandings(t.db, defs, {}, at(60));
		expect(all.map((r) => r.displayName)).toEqual(['Amy', 'Ben Ortiz', '李娜']);
		const benRow = all.find((r) => r.id === ben)!;
		expect(benRow.standings['complaint-handling']).toMatchObject({ status: 'active', level: 1, expiresAt: at(415) });
		expect(benRow.standings['ro-purifier-service']).toMatchObject({ status: 'expired' });
		expect(benRow.standings['customer-care']).toEqual({ status: 'none', level: 0, expiresAt: null, holdingId: null });
		expect(all.find((r) => r.id === li)!.standings['home-visit-service']).toMatchObject({ status: 'active', level: 1 });

		expect((await listTechnicianStandings(t.db, defs, { q: 'ORTIZ' }, at(60))).map((r) => r.id)).toEqual([ben]);
		expect((await listTechnicianStandings(t.db, defs, { q: 'li.na@' }, at(60))).map((r) => r.id)).toEqual([li]);
		expect((await listTechnicianStandings(t.db, defs, { q: '李' }, at(60))).map((r) => r.id)).toEqual([li]);
		expect(await listTechnicianStandings(t.db, defs, { q: '%' }, at(60))).toEqual([]);
	});

	it('finds only active technicians', async () => {
		expect(await findTechnician(t.db, ben)).toMatchObject({ displayName: 'Ben Ortiz', email: 'ben@example.com' });
		expect(await findTechnician(t.db, manager)).toBeNull();
		expect(await findTechnician(t.db, gone)).toBeNull();
		expect(await findTechnician(t.db, 'nope')).toBeNull();
	});
});

describe('the certificate PDF', () => {
	it('is only for the technician’s own, currently valid cycle', async () => {
		const cycles = await cyclesOf(t.db, ben);
		const valid = cycles.find((c) => c.certificationId === 'complaint-handling' && c.revokedAt === null)!;
		const revoked = cycles.find((c) => c.revokedAt !== null)!;
		const expired = cycles.find((c) => c.certificationId === 'ro-purifier-service')!;
		const now = at(60);
		expect(await findCertificate(t.db, ben, valid.id, now)).toMatchObject({ holderName: 'Ben Ortiz', level: 1, levels: 2, verifyCode: valid.verifyCode });
		expect(await findCertificate(t.db, li, valid.id, now)).toBeNull();
		expect(await findCertificate(t.db, ben, revoked.id, now)).toBeNull();
		expect(await findCertificate(t.db, ben, expired.id, now)).toBeNull();
		expect(await findCertificate(t.db, ben, 'not-a-uuid', now)).toBeNull();
		expect(await findCertificate(t.db, ben, valid.id, at(500))).toBeNull();
	});

	it('prints a Chinese name in Chinese, with a file name and a QR address on the given origin', async () => {
		const [cycle] = (await cyclesOf(t.db, li)).filter((c) => c.certificationId === 'home-visit-service');
		const found = (await findCertificate(t.db, li, cycle!.id, at(60)))!;
		const { bytes, filename } = await certificatePdf(found, 'zh-CN', 'https://serviceready.example.com', 'Asia/Shanghai');
		expect(filename).toBe(`certificate-home-visit-service-level-1-${calendarDay(at(30), 'Asia/Shanghai')}.pdf`);
		const doc = await PDFDocument.load(bytes);
		expect(doc.getTitle()).toBe('上门服务认证：李娜 的证书');
		expect(doc.getSubject()).toContain(`https://serviceready.example.com/verify/${cycle!.verifyCode}`);
	});
});
