import { and, asc, eq, inArray, isNotNull, lte, min, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { webhook, webhookDelivery } from '../db/schema';
import { WEBHOOK_BACKOFF, nextAttemptAt } from './backoff';
import { sign } from './signature';

/** How long a receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A worker holds claimed deliveries this long; if it dies meanwhile, another retries after it. */
const LEASE_MS = 2 * 60_000;

export interface DeliverOptions {
	/** The clock: when this pass runs (tests move it forward instead of waiting for the backoff). */
	now?: Date;
	limit?: number;
	timeoutMs?: number;
	random?: () => number;
}

export interface DeliverReport {
	delivered: number;
	retrying: number;
	failed: number;
	/** When deliveries should be tried again (more waiting now, or the next retry); null when none is pending. */
	next: Date | null;
}

/** The request one delivery makes: the envelope as JSON, signed with the webhook's secret. */
export function deliveryRequest(delivery: { id: string; event: string; payload: unknown }, secret: string, now: Date) {
	const body = JSON.stringify(delivery.payload);
	const timestamp = Math.floor(now.getTime() / 1000);
	return {
		body,
		headers: {
			'content-type': 'application/json',
			'user-agent': 'ServiceReady-Webhooks/1',
			'x-serviceready-event': delivery.event,
			'x-serviceready-delivery': delivery.id,
			'x-serviceready-timestamp': String(timestamp),
			'x-serviceready-signature': sign(secret, timestamp, body)
		}
	};
}

/**
 * Delivers pending webhook deliveries whose next attempt is due, to active webhooks. Claims up to
 * `limit` in one statement (`FOR UPDATE SKIP LOCKED`; the attempt is counted and a lease set), so
 * workers in several processes never post the same delivery at once, and posts them in parallel
 * with no lock held. A 2xx answer marks it delivered; anything else (another status, a refused
 * connection, the timeout) records the status code or error and schedules the next attempt by
 * WEBHOOK_BACKOFF, or marks it failed after the last. Redirects are not followed: a receiver must
 * answer at the address given. An outcome is written only if the claim is still ours.
 */
export async function deliverDue(db: Executor, options: DeliverOptions = {}): Promise<DeliverReport> {
	const now = options.now ?? new Date();
	const limit = options.limit ?? 10;
	const due = db
		.select({ id: webhookDelivery.id })
		.from(webhookDelivery)
		.where(
			and(
				eq(webhookDelivery.status, 'pending'),
				lte(webhookDelivery.nextAttemptAt, now),
				// Explicit names: drizzle leaves columns unqualified in single-table queries.
				sql`exists (select 1 from webhook w where w.id = "webhook_delivery"."webhook_id" and w.active)`
			)
		)
		.orderBy(asc(webhookDelivery.nextAttemptAt))
		.limit(limit)
		.for('update', { skipLocked: true });
	const claimed = await db
		.update(webhookDelivery)
		.set({ attempts: sql`${webhookDelivery.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
		.where(inArray(webhookDelivery.id, due))
		.returning({ id: webhookDelivery.id, webhookId: webhookDelivery.webhookId, event: webhookDelivery.event, payload: webhookDelivery.payload, attempts: webhookDelivery.attempts });
	const report: DeliverReport = { delivered: 0, retrying: 0, failed: 0, next: null };
	if (claimed.length > 0) {
		const targets = await db
			.select({ id: webhook.id, url: webhook.url, secret: webhook.secret })
			.from(webhook)
			.where(
				inArray(
					webhook.id,
					[...new Set(claimed.map((d) => d.webhookId))]
				)
			);
		const byId = new Map(targets.map((t) => [t.id, t]));
		await Promise.all(
			claimed.map(async (delivery) => {
				const target = byId.get(delivery.webhookId);
				if (!target) return; // deleted meanwhile, and its deliveries with it
				const outcome = await post(target.url, deliveryRequest(delivery, target.secret, now), options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
				const ours = and(eq(webhookDelivery.id, delivery.id), eq(webhookDelivery.attempts, delivery.attempts), eq(webhookDelivery.status, 'pending'));
				if (outcome.ok) {
					await db
						.update(webhookDelivery)
						.set({ status: 'delivered', lastStatusCode: outcome.status, lastError: null, nextAttemptAt: null, deliveredAt: now })
						.where(ours);
					report.delivered++;
					return;
				}
				const next = nextAttemptAt(delivery.attempts, now, WEBHOOK_BACKOFF, options.random);
				await db
					.update(webhookDelivery)
					.set({ status: next ? 'pending' : 'failed', lastStatusCode: outcome.status, lastError: outcome.error, nextAttemptAt: next })
					.where(ours);
				if (next) report.retrying++;
				else report.failed++;
			})
		);
	}
	if (claimed.length === limit) return { ...report, next: now };
	const [row] = await db
		.select({ next: min(webhookDelivery.nextAttemptAt) })
		.from(webhookDelivery)
		.innerJoin(webhook, and(eq(webhook.id, webhookDelivery.webhookId), eq(webhook.active, true)))
		.where(and(eq(webhookDelivery.status, 'pending'), isNotNull(webhookDelivery.nextAttemptAt)));
	return { ...report, next: row?.next ? new Date(row.next) : null };
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function post(url: string, request: { body: string; headers: Record<string, string> }, timeoutMs: number): Promise<Outcome> {
	try {
		const response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
		// Only the status matters; the body is not read, so a large answer costs nothing.
		await response.body?.cancel().catch(() => {});
		if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
		return { ok: false, status: response.status, error: `HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}` };
	} catch (e) {
		return { ok: false, status: null, error: describeFailure(e, timeoutMs) };
	}
}

function describeFailure(e: unknown, timeoutMs: number): string {
	if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `No answer within ${timeoutMs / 1000} s`;
	const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
	const text = [e instanceof Error ? e.message : String(e), cause?.code ?? cause?.message].filter(Boolean).join(': ');
	return text.replace(/\s+/g, ' ').slice(0, 500);
}
