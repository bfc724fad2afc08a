import { randomBytes, randomUUID } from 'node:crypto';
import { asc, desc, eq, sql, and } from 'drizzle-orm';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { user, webhook, webhookDelivery } from '../db/schema';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';
import { m } from '../../paraglide/messages.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from './events';
import { checkWebhookUrl, MAX_WEBHOOK_URL } from './webhook-url';
import { webhookAddressPolicy, type AddressPolicy, type RangeKind, type Refusal } from './address-policy';

/** The event type of a test delivery sent from the admin page. */
export const TEST_EVENT = 'webhook.test';

/** A new signing secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function generateSecret(): string {
	return `whsec_${encodeBase64urlNoPadding(randomBytes(32))}`;
}

export function isWebhookEvent(value: string): value is WebhookEvent {
	return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

const RANGE_KINDS: Record<RangeKind, () => string> = {
	unspecified: m.webhook_range_unspecified,
	loopback: m.webhook_range_loopback,
	private: m.webhook_range_private,
	'link-local': m.webhook_range_link_local,
	shared: m.webhook_range_shared,
	multicast: m.webhook_range_multicast,
	broadcast: m.webhook_range_broadcast,
	documentation: m.webhook_range_documentation,
	benchmarking: m.webhook_range_benchmarking,
	protocol: m.webhook_range_protocol,
	reserved: m.webhook_range_reserved
};

/** A refused range in the reader's language, e.g. "loopback 127.0.0.0/8". */
export function refusalLabel(refusal: Refusal): string {
	const range = `${RANGE_KINDS[refusal.kind]()} ${refusal.network}`;
	return refusal.via ? m.webhook_range_embedded({ range, via: refusal.via }) : range;
}

/**
 * Checks an address and a set of events as the admin form sends them; refusals name the field.
 * The address must pass the webhook address policy (by default the one WEBHOOK_ALLOWED_NETWORKS sets).
 */
export function validateWebhookInput(input: { url: string; events: string[] }, policy: AddressPolicy = webhookAddressPolicy()): { url: string; events: WebhookEvent[] } {
	const url = checkWebhookUrl(input.url, policy);
	if (!url.ok) {
		const message =
			url.reason === 'credentials'
				? m.webhook_url_credentials()
				: url.reason === 'too-long'
					? m.webhook_url_too_long({ max: MAX_WEBHOOK_URL })
					: url.reason === 'internal'
						? m.webhook_url_internal({ range: refusalLabel(url.refusal) })
						: m.webhook_url_invalid();
		throw new ServiceError(message, 'url');
	}
	if (input.events.length === 0) throw new ServiceError(m.webhook_events_none(), 'events');
	if (!input.events.every(isWebhookEvent)) throw new ServiceError(m.webhook_events_unknown(), 'events');
	// In the catalogue's order, each once.
	return { url: url.url, events: WEBHOOK_EVENTS.filter((e) => input.events.includes(e)) };
}

/**
 * Adds a webhook with a fresh secret. The secret is returned this once, for the admin to copy;
 * the audit log records the address and the events, never the secret.
 */
export async function createWebhook(db: Db, input: { url: string; events: string[] }, actorId: string | null, options: { policy?: AddressPolicy } = {}) {
	const valid = validateWebhookInput(input, options.policy);
	const secret = generateSecret();
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(webhook).values({ url: valid.url, events: valid.events, secret, createdBy: actorId }).returning({ id: webhook.id });
		await recordAudit(tx, { actorId, action: 'webhook.created', subjectType: 'webhook', subjectId: row!.id, detail: { url: valid.url, events: valid.events } });
		return { id: row!.id, url: valid.url, events: valid.events, secret };
	});
}

async function existing(tx: Executor, id: string) {
	const [row] = await tx.select({ id: webhook.id, url: webhook.url, active: webhook.active }).from(webhook).where(eq(webhook.id, id)).for('update');
	if (!row) throw new ServiceError(m.webhook_missing(), null, 404);
	return row;
}

/** Activates or deactivates a webhook; a change is audited, setting the same state again is not. */
export async function setWebhookActive(db: Db, id: string, active: boolean, actorId: string | null): Promise<void> {
	await db.transaction(async (tx) => {
		const row = await existing(tx, id);
		if (row.active === active) return;
		await tx.update(webhook).set({ active }).where(eq(webhook.id, id));
		await recordAudit(tx, { actorId, action: 'webhook.changed', subjectType: 'webhook', subjectId: id, detail: { url: row.url, active } });
	});
}

/** Deletes a webhook and, with it, its deliveries (pending ones are dropped). */
export async function deleteWebhook(db: Db, id: string, actorId: string | null): Promise<void> {
	await db.transaction(async (tx) => {
		const row = await existing(tx, id);
		await tx.delete(webhook).where(eq(webhook.id, id));
		await recordAudit(tx, { actorId, action: 'webhook.deleted', subjectType: 'webhook', subjectId: id, detail: { url: row.url } });
	});
}

/** Queues a test event for one active webhook; the delivery worker sends it like any other. */
export async function sendTestEvent(db: Db, id: string, now = new Date()) {
	return db.transaction(async (tx) => {
		const row = await existing(tx, id);
		if (!row.active) throw new ServiceError(m.webhook_test_inactive(), null, 409);
		const envelope = {
			id: randomUUID(),
			type: TEST_EVENT,
			occurredAt: now.toISOString(),
			data: { webhookId: id, message: 'A test event from ServiceReady: the webhook is reachable and the signature can be checked.' }
		};
		const [delivery] = await tx
			.insert(webhookDelivery)
			.values({ webhookId: id, event: TEST_EVENT, payload: envelope, nextAttemptAt: now, createdAt: now })
			.returning({ id: webhookDelivery.id });
		return { deliveryId: delivery!.id, envelope };
	});
}

/** Every webhook with its delivery counts, in one query. The secret is never read. */
export async function listWebhooks(db: Executor) {
	// Written with explicit names: drizzle leaves columns unqualified in single-table queries, and
	// inside the subquery an unqualified "id" would mean the delivery's.
	const count = (status: 'pending' | 'delivered' | 'failed') =>
		sql<number>`(select count(*)::int from webhook_delivery d where d.webhook_id = "webhook"."id" and d.status = ${status})`;
	return db
		.select({
			id: webhook.id,
			url: webhook.url,
			events: webhook.events,
			active: webhook.active,
			createdAt: webhook.createdAt,
			pending: count('pending'),
			delivered: count('delivered'),
			failed: count('failed')
		})
		.from(webhook)
		.orderBy(asc(webhook.createdAt), asc(webhook.id));
}

/** One webhook for its page, with who added it; the secret is never read. */
export async function findWebhook(db: Executor, id: string) {
	const [row] = await db
		.select({ id: webhook.id, url: webhook.url, events: webhook.events, active: webhook.active, createdAt: webhook.createdAt, createdByName: user.displayName })
		.from(webhook)
		.leftJoin(user, eq(user.id, webhook.createdBy))
		.where(eq(webhook.id, id));
	return row ?? null;
}

/**
 * A webhook's deliveries, newest first, `limit` at a time. Keyset paging: `before` is the id of the
 * last delivery of the previous page; the next page continues below its (created_at, id).
 */
export async function deliveriesOf(db: Executor, webhookId: string, options: { before?: string; limit?: number } = {}) {
	const limit = options.limit ?? 25;
	const conditions = [eq(webhookDelivery.webhookId, webhookId)];
	if (options.before) {
		conditions.push(
			sql`(${webhookDelivery.createdAt}, ${webhookDelivery.id}) < (select d.created_at, d.id from webhook_delivery d where d.id = ${options.before})`
		);
	}
	const rows = await db
		.select({
			id: webhookDelivery.id,
			event: webhookDelivery.event,
			status: webhookDelivery.status,
			attempts: webhookDelivery.attempts,
			lastStatusCode: webhookDelivery.lastStatusCode,
			lastError: webhookDelivery.lastError,
			createdAt: webhookDelivery.createdAt,
			nextAttemptAt: webhookDelivery.nextAttemptAt,
			deliveredAt: webhookDelivery.deliveredAt
		})
		.from(webhookDelivery)
		.where(and(...conditions))
		.orderBy(desc(webhookDelivery.createdAt), desc(webhookDelivery.id))
		.limit(limit + 1);
	const shown = rows.slice(0, limit);
	return { rows: shown, older: rows.length > limit ? shown.at(-1)!.id : null };
}
