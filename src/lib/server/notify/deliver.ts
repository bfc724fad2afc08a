import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { and, asc, eq, inArray, isNotNull, lte, min, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { webhook, webhookDelivery } from '../db/schema';
import { WEBHOOK_BACKOFF, nextAttemptAt } from './backoff';
import { sign } from './signature';
import { decideAddress, decideHost, describeRefusal, parseAddress, webhookAddressPolicy, type AddressPolicy } from './address-policy';

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
	/** The webhook address policy; by default the one WEBHOOK_ALLOWED_NETWORKS sets. */
	policy?: AddressPolicy;
	/** Resolves a receiver's host name to all its addresses (tests give their own; nothing else may). */
	resolve?: Resolver;
}

/** All the addresses of a host name, as dns.lookup({ all: true }) gives them. */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

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
 * answer at the address given. A receiver whose address (any of the addresses its host name
 * resolves to) the webhook address policy refuses is not contacted: the delivery fails at once,
 * the log naming the range, without retries. An outcome is written only if the claim is still ours.
 */
export async function deliverDue(db: Executor, options: DeliverOptions = {}): Promise<DeliverReport> {
	const now = options.now ?? new Date();
	const limit = options.limit ?? 10;
	const policy = options.policy ?? webhookAddressPolicy();
	const resolve = options.resolve ?? systemResolver;
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
				const outcome = await post(target.url, deliveryRequest(delivery, target.secret, now), { timeoutMs: options.timeoutMs ?? DELIVERY_TIMEOUT_MS, policy, resolve });
				const ours = and(eq(webhookDelivery.id, delivery.id), eq(webhookDelivery.attempts, delivery.attempts), eq(webhookDelivery.status, 'pending'));
				if (outcome.ok) {
					await db
						.update(webhookDelivery)
						.set({ status: 'delivered', lastStatusCode: outcome.status, lastError: null, nextAttemptAt: null, deliveredAt: now })
						.where(ours);
					report.delivered++;
					return;
				}
				// A refusal by the address policy is no network fault: trying again would change nothing.
				const next = outcome.refused ? null : nextAttemptAt(delivery.attempts, now, WEBHOOK_BACKOFF, options.random);
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

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; refused?: boolean };

/** Where one delivery may connect: the addresses that were checked, in the resolver's order. */
type Destination = { addresses: Array<{ address: string; family: 4 | 6 }> };

/**
 * Finds the address to connect to and checks it against the policy: an IP address as written, or
 * every address the host name resolves to (refused if any one is). The connection then goes to
 * the addresses checked and no other, so a name cannot resolve differently between check and
 * connection.
 */
async function destination(url: URL, policy: AddressPolicy, resolve: Resolver, signal: AbortSignal): Promise<Destination | { refused: string }> {
	const host = url.hostname;
	const literal = parseAddress(host);
	if (literal) {
		const decision = decideAddress(literal, policy);
		if (!decision.allowed) return { refused: `refused by the webhook address policy: ${describeRefusal(decision.refusal)}` };
		return { addresses: [{ address: host.replace(/^\[|\]$/g, ''), family: literal.length === 4 ? 4 : 6 }] };
	}
	const named = decideHost(host, policy);
	if (named && !named.allowed) return { refused: `refused by the webhook address policy: ${describeRefusal(named.refusal)}` };
	const addresses = await abortable(resolve(host), signal);
	if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
	for (const { address } of addresses) {
		const decision = decideAddress(address, policy);
		if (!decision.allowed) return { refused: `refused by the webhook address policy: ${describeRefusal(decision.refusal)} (${host} resolved to ${address})` };
	}
	return { addresses: addresses.map(({ address }) => ({ address, family: parseAddress(address)!.length === 4 ? 4 : 6 })) };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const stop = () => reject(signal.reason);
		signal.addEventListener('abort', stop, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', stop);
				resolve(value);
			},
			(e) => {
				signal.removeEventListener('abort', stop);
				reject(e);
			}
		);
	});
}

async function post(
	target: string,
	request: { body: string; headers: Record<string, string> },
	options: { timeoutMs: number; policy: AddressPolicy; resolve: Resolver }
): Promise<Outcome> {
	const { timeoutMs } = options;
	const signal = AbortSignal.timeout(timeoutMs);
	try {
		const url = new URL(target);
		const to = await destination(url, options.policy, options.resolve, signal);
		if ('refused' in to) return { ok: false, status: null, error: to.refused, refused: true };
		// Node resolves the host name through this: it answers with the addresses checked above (all
		// of them when it tries one after another). The Host header and the TLS server name stay the
		// host name of the URL.
		const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
			if (lookupOptions.all) callback(null, to.addresses);
			else callback(null, to.addresses[0]!.address, to.addresses[0]!.family);
		};
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const response = await new Promise<IncomingMessage>((resolve, reject) => {
			const req = send(url, {
				method: 'POST',
				headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
				lookup: pinned,
				// A connection of its own: never one kept open to an address checked earlier.
				agent: false,
				signal
			});
			req.once('response', resolve);
			req.once('error', reject);
			req.end(request.body);
		});
		// Only the status matters; the body is not read, so a large answer costs nothing.
		response.once('error', () => {});
		response.destroy();
		const status = response.statusCode ?? 0;
		if (status >= 200 && status < 300) return { ok: true, status };
		return { ok: false, status, error: `HTTP ${status}${response.statusMessage ? ' ' + response.statusMessage : ''}` };
	} catch (e) {
		return { ok: false, status: null, error: describeFailure(e, timeoutMs) };
	}
}

function describeFailure(e: unknown, timeoutMs: number): string {
	// The timeout's reason (a DOMException) while resolving, or the request's AbortError.
	const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
	if (name === 'TimeoutError' || name === 'AbortError') return `No answer within ${timeoutMs / 1000} s`;
	const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
	const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
	const message = e instanceof Error ? e.message : String(e);
	const extra = cause?.code ?? cause?.message ?? (typeof code === 'string' && !message.includes(code) ? code : undefined);
	const text = [message, extra].filter(Boolean).join(': ');
	return text.replace(/\s+/g, ' ').slice(0, 500);
}
