import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { setActive } from '../../src/lib/server/users';
import {
	certificationHolding,
	courseAssignment,
	courseDueNotice,
	holdingNotice,
	lessonProgress,
	outboxMessage,
	quizAttempt,
	team,
	teamManager,
	user,
	userRole,
	webhookDelivery
} from '../../src/lib/server/db/schema';
import { findCertification } from '../../src/lib/server/certification/catalog';
import { findCourse } from '../../src/lib/server/content';
import { requiredQuizzes } from '../../src/lib/server/assessment/catalog';
import { sendCertificationReminders, sendCourseReminders, type ScanOptions } from '../../src/lib/server/notify/scan';
import { listOutbox, messageStatus, sendQueuedMail } from '../../src/lib/server/notify/outbox';
import { createMailer } from '../../src/lib/server/notify/mail';
import { createWebhook } from '../../src/lib/server/notify/webhooks';
import { parseAllowedNetworks } from '../../src/lib/server/notify/address-policy';
import { MAIL_BACKOFF } from '../../src/lib/server/notify/backoff';

const DAY = 24 * 60 * 60 * 1000;
const E = new Date('2026-07-01T09:00:00Z');
const at = (days: number) => new Date(E.getTime() + days * DAY);
const home = findCertification('home-visit-service')!;

let t: TestDb;
const ids: Record<string, string> = {};
let code = 0;

async function hold(userId: string, certificationId: string, over: Partial<typeof certificationHolding.$inferInsert> = {}) {
	const [row] = await t.db
		.insert(certificationHolding)
		.values({ userId, certificationId, level: 1, grantedAt: at(-365), expiresAt: E, verifyCode: `notifytest${String(code++).padStart(6, '0')}`, ...over })
		.returning({ id: certificationHolding.id });
	return row!.id;
}

const options = (now: Date, over: Partial<ScanOptions> = {}): ScanOptions => ({ now, origin: 'https://sr.example.com', smtp: false, ...over });

async function messagesTo(userId: string) {
	return t.db.select().from(outboxMessage).where(eq(outboxMessage.toUserId, userId)).orderBy(asc(outboxMessage.createdAt), asc(outboxMessage.kind));
}

/**
 * People of this file's own: two teams, each with a manager (team A also with a deactivated one),
 * so the demo organisation's certifications do not mix into the counts.
 */
async function person(key: string, displayName: string, locale: 'en' | 'zh-CN', teamId: string | null, role: 'technician' | 'manager' = 'technician') {
	const [row] = await t.db.insert(user).values({ email: `${key}@notify.test`, displayName, locale, teamId }).returning({ id: user.id });
	await t.db.insert(userRole).values({ userId: row!.id, role });
	ids[key] = row!.id;
	return row!.id;
}

beforeAll(async () => {
	t = await freshDb();
	const [a, b] = await t.db.insert(team).values([{ name: 'Team A', region: 'North' }, { name: 'Team B', region: 'South' }]).returning({ id: team.id });
	await person('tom', 'Tom Chen', 'en', a!.id);
	await person('lina', '李娜', 'zh-CN', a!.id);
	await person('zhang', '张伟', 'zh-CN', a!.id);
	await person('wang', '王芳', 'zh-CN', a!.id);
	await person('liu', '刘洋', 'zh-CN', a!.id);
	await person('sam', 'Sam Ortiz', 'en', a!.id);
	await person('chen', '陈杰', 'zh-CN', b!.id);
	await person('manager', 'Marcus Wang', 'en', null, 'manager');
	await person('former', 'Olga Former', 'en', null, 'manager');
	await person('bmanager', '周经理', 'zh-CN', null, 'manager');
	await t.db.insert(teamManager).values([
		{ teamId: a!.id, userId: ids.manager! },
		{ teamId: a!.id, userId: ids.former! },
		{ teamId: b!.id, userId: ids.bmanager! }
	]);
	await t.db.update(user).set({ active: false }).where(eq(user.id, ids.former!));
});
afterAll(() => t.dispose());

describe('certification reminders', () => {
	let tomHome: string;
	let linaHome: string;
	let superseded: string;
	let renewed: string;
	let revoked: string;

	beforeAll(async () => {
		// A loopback receiver: allowed here as an operator would with WEBHOOK_ALLOWED_NETWORKS (nothing is delivered).
		await createWebhook(t.db, { url: 'http://127.0.0.1:9/hook', events: ['certification.renewal_due', 'certification.expired'] }, null, { policy: parseAllowedNetworks('127.0.0.1/32') });
		tomHome = await hold(ids.tom!, 'home-visit-service');
		linaHome = await hold(ids.lina!, 'home-visit-service', { level: 2 });
		// Zhang renewed inside the window: the old cycle is superseded, the new one far from expiry.
		superseded = await hold(ids.zhang!, 'home-visit-service');
		renewed = await hold(ids.zhang!, 'home-visit-service', { grantedAt: at(-55), expiresAt: at(365), renewedFromId: superseded });
		// Wang's latest cycle was revoked.
		revoked = await hold(ids.wang!, 'home-visit-service', { revokedAt: at(-100), revokeReason: 'Falsified visit report' });
		// Liu is no longer active.
		await hold(ids.liu!, 'home-visit-service');
		await setActive(t.db, ids.liu!, false, null);
	});

	it('sends nothing before the renewal window opens', async () => {
		expect(await sendCertificationReminders(t.db, options(at(-61)))).toEqual({ notices: 0, messages: 0 });
	});

	it('when the window opens: one notice each to the technician and the team manager, in their language, with a webhook event', async () => {
		const now = at(-59);
		expect(await sendCertificationReminders(t.db, options(now))).toEqual({ notices: 2, messages: 4 });

		const [toTom] = await messagesTo(ids.tom!);
		expect(toTom).toMatchObject({ kind: 'renewal_open', toAddress: 'tom@notify.test', sentAt: null, nextAttemptAt: null, attempts: 0, createdAt: now });
		expect(toTom!.subject).toBe('Renewal window open: Home visit service (Tom Chen)');
		expect(toTom!.body).toContain('Hello Tom Chen');
		expect(toTom!.body).toContain('opened on 2026-05-02');
		expect(toTom!.body).toContain('expires on 2026-07-01');
		expect(toTom!.body).toContain('https://sr.example.com/learn/certifications');
		expect(messageStatus(toTom!)).toBe('unsent');

		const [toLina] = await messagesTo(ids.lina!);
		expect(toLina!.subject).toBe(`续证窗口已开启：${home.title['zh-CN']}（李娜）`);
		expect(toLina!.body).toContain('（2 级）已于 2026-05-02 开启续证窗口');

		const toManager = await messagesTo(ids.manager!);
		expect(toManager.map((msg) => msg.subject).sort()).toEqual(['Renewal window open: Home visit service (Tom Chen)', 'Renewal window open: Home visit service (李娜)']);
		expect(toManager.every((msg) => msg.body.startsWith('Hello Marcus Wang') && msg.body.includes('https://sr.example.com/manager'))).toBe(true);

		const notices = await t.db.select().from(holdingNotice).orderBy(asc(holdingNotice.holdingId));
		expect(notices.map((n) => [n.holdingId, n.kind]).sort()).toEqual([[linaHome, 'renewal_open'], [tomHome, 'renewal_open']].sort());

		const deliveries = await t.db.select().from(webhookDelivery);
		expect(deliveries.map((d) => d.event)).toEqual(['certification.renewal_due', 'certification.renewal_due']);
		const payload = deliveries.find((d) => (d.payload as { data: { holdingId: string } }).data.holdingId === tomHome)!.payload;
		expect(payload).toMatchObject({
			type: 'certification.renewal_due',
			occurredAt: now.toISOString(),
			data: { holdingId: tomHome, technicianId: ids.tom, certificationId: 'home-visit-service', level: 1, expiresAt: E.toISOString() }
		});
	});

	it('superseded, revoked and deactivated technicians\' cycles get nothing', async () => {
		const quiet = await t.db.select().from(holdingNotice).where(inArray(holdingNotice.holdingId, [superseded, renewed, revoked]));
		expect(quiet).toEqual([]);
		for (const who of ['zhang', 'wang', 'liu']) expect(await messagesTo(ids[who]!)).toEqual([]);
	});

	it('a second scan, or two at once, sends nothing twice', async () => {
		expect(await sendCertificationReminders(t.db, options(at(-30)))).toEqual({ notices: 0, messages: 0 });
		// Seven days before expiry: two scans race (two app processes); exactly one wins each notice.
		const both = await Promise.all([sendCertificationReminders(t.db, options(at(-7))), sendCertificationReminders(t.db, options(at(-7)))]);
		expect(both.reduce((sum, r) => sum + r.notices, 0)).toBe(2);
		expect(both.reduce((sum, r) => sum + r.messages, 0)).toBe(4);
		expect((await messagesTo(ids.tom!)).map((msg) => msg.kind)).toEqual(['renewal_open', 'expiring_soon']);
		expect((await messagesTo(ids.tom!))[1]!.subject).toBe('Home visit service expires on 2026-07-01 (Tom Chen)');
		// "Expiring soon" publishes no webhook event.
		expect(await t.db.$count(webhookDelivery)).toBe(2);
	});

	it('once expired: the expired notice, to both, and the certification.expired event', async () => {
		expect(await sendCertificationReminders(t.db, options(at(1)))).toEqual({ notices: 2, messages: 4 });
		expect((await messagesTo(ids.tom!)).map((msg) => msg.kind)).toEqual(['renewal_open', 'expiring_soon', 'expired']);
		const events = await t.db.select({ event: webhookDelivery.event }).from(webhookDelivery).where(eq(webhookDelivery.event, 'certification.expired'));
		expect(events).toHaveLength(2);
		expect(await sendCertificationReminders(t.db, options(at(2)))).toEqual({ notices: 0, messages: 0 });
	});
});

describe('course-due reminders', () => {
	const now = new Date('2026-03-10T08:00:00Z');
	const course = findCourse('complaints')!;

	beforeAll(async () => {
		await t.db.insert(courseAssignment).values([
			{ courseSlug: 'complaints', userId: ids.sam!, dueAt: new Date(now.getTime() + 2 * DAY) },
			{ courseSlug: 'complaints', userId: ids.chen!, dueAt: new Date(now.getTime() + 2 * DAY) },
			{ courseSlug: 'home-visit', userId: ids.sam!, dueAt: new Date(now.getTime() + 5 * DAY) },
			{ courseSlug: 'customer-care', userId: ids.sam!, dueAt: new Date(now.getTime() - DAY) }
		]);
		// Chen has finished the course: every lesson read and the required exam passed.
		await t.db.insert(lessonProgress).values(
			course.lessons.map((l) => ({ userId: ids.chen!, courseSlug: 'complaints', lessonSlug: l.slug, locale: 'zh-CN' as const, contentVersion: course.version, completedAt: new Date('2026-03-01T00:00:00Z') }))
		);
		await t.db.insert(quizAttempt).values(
			requiredQuizzes('complaints').map((quizId) => ({
				userId: ids.chen!,
				courseSlug: 'complaints',
				quizId,
				number: 1,
				locale: 'zh-CN' as const,
				kind: 'exam' as const,
				passMark: 80,
				review: 'score' as const,
				shuffleOptions: false,
				seed: 'seed',
				title: { en: 'Exam' },
				questions: [],
				submittedAt: new Date('2026-03-02T00:00:00Z'),
				percent: 90,
				passed: true
			}))
		);
	});

	it('reminds an unfinished technician of a course due within 3 days, once', async () => {
		expect(await sendCourseReminders(t.db, options(now))).toEqual({ notices: 1, messages: 1 });
		const [msg] = (await messagesTo(ids.sam!)).filter((m) => m.kind === 'course_due');
		expect(msg).toMatchObject({ toAddress: 'sam@notify.test', subject: `Course due on 2026-03-12: ${course.title.en}`, createdAt: now });
		expect(msg!.body).toContain('https://sr.example.com/learn/courses/complaints');
		expect(await messagesTo(ids.chen!)).toEqual([]);
		expect(await sendCourseReminders(t.db, options(new Date(now.getTime() + 3600_000)))).toEqual({ notices: 0, messages: 0 });
	});

	it('a moved due date gets its own reminder; the later course when it comes within 3 days', async () => {
		await t.db
			.update(courseAssignment)
			.set({ dueAt: new Date(now.getTime() + DAY) })
			.where(and(eq(courseAssignment.userId, ids.sam!), eq(courseAssignment.courseSlug, 'complaints')));
		expect(await sendCourseReminders(t.db, options(now))).toEqual({ notices: 1, messages: 1 });
		expect(await sendCourseReminders(t.db, options(new Date(now.getTime() + 2.5 * DAY)))).toEqual({ notices: 1, messages: 1 });
		const subjects = (await messagesTo(ids.sam!)).map((m) => m.subject);
		expect(subjects.filter((s) => s.includes(findCourse('home-visit')!.title.en!))).toHaveLength(1);
		expect(await t.db.$count(courseDueNotice)).toBe(3);
	});
});

describe('e-mail over SMTP', () => {
	let server: SMTPServer;
	let port: number;
	const received: ParsedMail[] = [];
	let refuse = false;

	beforeAll(async () => {
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onData(stream, _session, callback) {
				simpleParser(stream)
					.then((mail) => {
						if (refuse) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
						received.push(mail);
						callback();
					})
					.catch(callback);
			}
		});
		server.listen(0, '127.0.0.1');
		await once(server.server, 'listening');
		port = (server.server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('queues reminders and delivers them; a Chinese subject arrives intact; sent_at is set', async () => {
		const holding = await hold(ids.chen!, 'home-visit-service', { grantedAt: at(435), expiresAt: at(800) });
		const now = at(745);
		expect(await sendCertificationReminders(t.db, options(now, { smtp: true }))).toEqual({ notices: 1, messages: 2 });
		const queued = await t.db.select().from(outboxMessage).where(eq(outboxMessage.createdAt, now));
		expect(queued.map(messageStatus)).toEqual(['queued', 'queued']);

		const mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}` })!;
		const report = await sendQueuedMail(t.db, mailer, { now });
		mailer.close();
		expect(report).toEqual({ sent: 2, failed: 0, next: null });
		const toChen = received.find((mail) => mail.to && 'text' in mail.to && mail.to.text === 'chen@notify.test')!;
		expect(toChen.subject).toBe(`续证窗口已开启：${home.title['zh-CN']}（陈杰）`);
		expect(toChen.from?.value[0]).toEqual({ name: 'ServiceReady', address: 'no-reply@serviceready.local' });
		const toManager = received.find((mail) => mail.to && 'text' in mail.to && mail.to.text === 'bmanager@notify.test')!;
		expect(toManager.subject).toBe(toChen.subject);
		expect(toManager.text).toContain('周经理，您好');
		expect(toChen.text).toContain('陈杰，您好');
		const rows = await t.db.select().from(outboxMessage).where(eq(outboxMessage.createdAt, now));
		expect(rows.every((row) => row.sentAt?.getTime() === now.getTime() && row.nextAttemptAt === null && row.attempts === 1)).toBe(true);
		expect((await t.db.select().from(holdingNotice).where(eq(holdingNotice.holdingId, holding))).map((n) => n.kind)).toEqual(['renewal_open']);
	});

	it('records a refusal, retries with backoff, and sends on a later try', async () => {
		const now = new Date('2027-01-01T00:00:00Z');
		await t.db.insert(outboxMessage).values({ kind: 'course_due', toAddress: 'sam@notify.test', toUserId: ids.sam!, subject: 'Retry me', body: 'x', createdAt: now, nextAttemptAt: now });
		const mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_FROM: 'Training <training@example.com>' })!;
		refuse = true;
		const first = await sendQueuedMail(t.db, mailer, { now, random: () => 0 });
		expect(first).toEqual({ sent: 0, failed: 1, next: new Date(now.getTime() + MAIL_BACKOFF.baseMs) });
		let [row] = await t.db.select().from(outboxMessage).where(eq(outboxMessage.subject, 'Retry me'));
		expect(row).toMatchObject({ sentAt: null, attempts: 1, nextAttemptAt: first.next });
		expect(row!.error).toMatch(/550|Mailbox unavailable/);
		expect(messageStatus(row!)).toBe('retrying');
		// Not due yet: nothing is tried.
		expect(await sendQueuedMail(t.db, mailer, { now: new Date(now.getTime() + 1000) })).toMatchObject({ sent: 0, failed: 0 });
		refuse = false;
		const later = new Date(now.getTime() + MAIL_BACKOFF.baseMs);
		expect(await sendQueuedMail(t.db, mailer, { now: later })).toEqual({ sent: 1, failed: 0, next: null });
		[row] = await t.db.select().from(outboxMessage).where(eq(outboxMessage.subject, 'Retry me'));
		expect(row).toMatchObject({ sentAt: later, attempts: 2, nextAttemptAt: null });
		expect(messageStatus(row!)).toBe('sent');
		expect(received.at(-1)!.from?.value[0]).toEqual({ name: 'Training', address: 'training@example.com' });
		mailer.close();
	});

	it('gives up after the last attempt when the server cannot be reached, keeping the error', async () => {
		const now = new Date('2027-02-01T00:00:00Z');
		await t.db.insert(outboxMessage).values({ kind: 'course_due', toAddress: 'sam@notify.test', toUserId: ids.sam!, subject: 'Nobody home', body: 'x', createdAt: now, nextAttemptAt: now });
		const closed = new SMTPServer({ logger: false });
		closed.listen(0, '127.0.0.1');
		await once(closed.server, 'listening');
		const deadPort = (closed.server.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${deadPort}` })!;
		let clock = now;
		for (let attempt = 1; attempt <= MAIL_BACKOFF.maxAttempts; attempt++) {
			const report = await sendQueuedMail(t.db, mailer, { now: clock, random: () => 0 });
			expect(report.failed, `attempt ${attempt}`).toBe(1);
			clock = new Date(clock.getTime() + MAIL_BACKOFF.capMs);
		}
		mailer.close();
		const [row] = await t.db.select().from(outboxMessage).where(eq(outboxMessage.subject, 'Nobody home'));
		expect(row).toMatchObject({ sentAt: null, attempts: MAIL_BACKOFF.maxAttempts, nextAttemptAt: null });
		expect(row!.error).toMatch(/ECONNREFUSED/);
		expect(messageStatus(row!)).toBe('failed');
	});
});

describe('the outbox listing', () => {
	it('pages newest first without gaps or repeats, and filters by kind', async () => {
		const all: string[] = [];
		let before: string | undefined;
		for (;;) {
			const page = await listOutbox(t.db, { before, limit: 3 });
			all.push(...page.rows.map((r) => r.id));
			if (!page.older) break;
			before = page.older;
		}
		const expected = await t.db.select({ id: outboxMessage.id, createdAt: outboxMessage.createdAt }).from(outboxMessage);
		expected.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
		expect(all).toEqual(expected.map((r) => r.id));
		const courseDue = await listOutbox(t.db, { kind: 'course_due' });
		expect(courseDue.rows.length).toBeGreaterThan(0);
		expect(courseDue.rows.every((r) => r.kind === 'course_due')).toBe(true);
		expect((await listOutbox(t.db, { kind: 'nothing-of-this-kind' })).rows).toEqual([]);
	});
});
