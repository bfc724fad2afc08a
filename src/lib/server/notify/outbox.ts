import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, min, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { outboxMessage, type OutboxMessage } from '../db/schema';
import { MAIL_BACKOFF, nextAttemptAt } from './backoff';
import type { Mailer } from './mail';

/** Kinds of message this module writes (the outbox page filters by them). */
export const MESSAGE_KINDS = ['renewal_open', 'expiring_soon', 'expired', 'course_due', 'course_assigned', 'course_unassigned'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface NewMessage {
	kind: MessageKind;
	toAddress: string;
	toUserId: string | null;
	subject: string;
	body: string;
}

/**
 * Writes messages to the outbox (inside the caller's transaction, so a notice and its e-mails are
 * recorded together). With SMTP configured they are queued for the sender at once; without, they
 * stay in the outbox, never queued.
 */
export async function recordMessages(tx: Executor, messages: NewMessage[], options: { smtp: boolean; now: Date }) {
	if (messages.length === 0) return;
	await tx.insert(outboxMessage).values(messages.map((msg) => ({ ...msg, createdAt: options.now, nextAttemptAt: options.smtp ? options.now : null })));
}

/** A sender holds a claimed message this long; if it dies meanwhile, another sender retries after it. */
const LEASE_MS = 2 * 60_000;

export interface SendReport {
	sent: number;
	failed: number;
	/** When the sender should run again (more waiting now, or the next retry); null when nothing is queued. */
	next: Date | null;
}

/**
 * Sends queued messages over SMTP. Claims up to `limit` due messages in one statement
 * (`FOR UPDATE SKIP LOCKED`, then a lease), so senders in several processes never take the same
 * one; the SMTP exchange runs without a lock held. A success sets sent_at; a failure records the
 * error and the next try (MAIL_BACKOFF) or, after the last attempt, leaves it unqueued with its error.
 * An outcome is written only if the claim is still ours (same attempt count).
 */
export async function sendQueuedMail(
	db: Executor,
	mailer: Mailer,
	options: { now?: Date; limit?: number; random?: () => number } = {}
): Promise<SendReport> {
	const now = options.now ?? new Date();
	const limit = options.limit ?? 20;
	const due = db
		.select({ id: outboxMessage.id })
		.from(outboxMessage)
		.where(and(isNull(outboxMessage.sentAt), lte(outboxMessage.nextAttemptAt, now)))
		.orderBy(asc(outboxMessage.nextAttemptAt))
		.limit(limit)
		.for('update', { skipLocked: true });
	const claimed = await db
		.update(outboxMessage)
		.set({ attempts: sql`${outboxMessage.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
		.where(inArray(outboxMessage.id, due))
		.returning();
	let sent = 0;
	let failed = 0;
	for (const msg of claimed) {
		const ours = and(eq(outboxMessage.id, msg.id), eq(outboxMessage.attempts, msg.attempts), isNull(outboxMessage.sentAt));
		try {
			await mailer.send({ to: msg.toAddress, subject: msg.subject, text: msg.body });
			await db.update(outboxMessage).set({ sentAt: options.now ?? new Date(), nextAttemptAt: null }).where(ours);
			sent++;
		} catch (e) {
			const error = describeError(e);
			await db
				.update(outboxMessage)
				.set({ error, nextAttemptAt: nextAttemptAt(msg.attempts, now, MAIL_BACKOFF, options.random) })
				.where(ours);
			failed++;
		}
	}
	if (claimed.length === limit) return { sent, failed, next: now };
	const [row] = await db
		.select({ next: min(outboxMessage.nextAttemptAt) })
		.from(outboxMessage)
		.where(and(isNull(outboxMessage.sentAt), isNotNull(outboxMessage.nextAttemptAt)));
	return { sent, failed, next: row?.next ? new Date(row.next) : null };
}

function describeError(e: unknown): string {
	const text = e instanceof Error ? e.message : String(e);
	return text.replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';
}

export type MessageStatus = 'sent' | 'queued' | 'retrying' | 'failed' | 'unsent';

/** Rule "message status": sent once SMTP accepted it; else queued (no failure yet) or retrying while a try is planned; failed when none is left after an error; otherwise never queued (no SMTP). */
export function messageStatus(msg: Pick<OutboxMessage, 'sentAt' | 'nextAttemptAt' | 'error'>): MessageStatus {
	if (msg.sentAt) return 'sent';
	if (msg.nextAttemptAt) return msg.error ? 'retrying' : 'queued';
	return msg.error ? 'failed' : 'unsent';
}

export interface OutboxPage {
	rows: Array<OutboxMessage & { status: MessageStatus }>;
	/** The cursor (last id) of the next, older page, or null on the last page. */
	older: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Is `text` a row id, as a paging cursor must be? */
export function isCursor(text: string): boolean {
	return UUID.test(text);
}

/**
 * Messages newest first, `limit` at a time, optionally of one kind. Keyset paging: `before` is the
 * id of the last message of the previous page, and the page continues below its (created_at, id) —
 * compared in the database, at the stored precision.
 */
export async function listOutbox(db: Executor, options: { kind?: string; before?: string; limit?: number } = {}): Promise<OutboxPage> {
	const limit = options.limit ?? 50;
	const conditions = [];
	if (options.kind) conditions.push(eq(outboxMessage.kind, options.kind));
	if (options.before) {
		conditions.push(sql`(${outboxMessage.createdAt}, ${outboxMessage.id}) < (select o.created_at, o.id from outbox_message o where o.id = ${options.before})`);
	}
	const rows = await db
		.select()
		.from(outboxMessage)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(desc(outboxMessage.createdAt), desc(outboxMessage.id))
		.limit(limit + 1);
	const shown = rows.slice(0, limit).map((row) => ({ ...row, status: messageStatus(row) }));
	return { rows: shown, older: rows.length > limit ? shown.at(-1)!.id : null };
}

/** The kinds present in the outbox, with this module's own kinds, for the filter. */
export async function outboxKinds(db: Executor): Promise<string[]> {
	const rows = await db.selectDistinct({ kind: outboxMessage.kind }).from(outboxMessage);
	return [...new Set<string>([...MESSAGE_KINDS, ...rows.map((r) => r.kind)])];
}
