import { randomUUID } from 'node:crypto';
import { and, arrayContains, eq } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { webhook, webhookDelivery } from '../db/schema';

export const WEBHOOK_EVENTS = ['certification.granted', 'certification.renewal_due', 'certification.expired', 'certification.revoked'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What every certification event says about the cycle it concerns. */
export interface CertificationEventData {
	holdingId: string;
	technicianId: string;
	certificationId: string;
	level: number;
	grantedAt: string;
	expiresAt: string;
	/** For `certification.granted`: a fresh grant, a renewal, an upgrade, or a trainer's grant. */
	action?: 'grant' | 'renew' | 'upgrade' | 'manual';
	/** For `certification.revoked`. */
	revokedAt?: string;
	reason?: string;
}

export interface EventEnvelope {
	id: string;
	type: WebhookEvent;
	occurredAt: string;
	data: CertificationEventData;
}

/**
 * Transactional outbox: records one pending delivery per active webhook subscribed to the event,
 * inside the caller's transaction, so an event is delivered if and only if what it reports was
 * committed. Delivery (signing, retries with backoff) is the queue's work.
 */
export async function publishCertificationEvent(
	tx: Executor,
	type: WebhookEvent,
	data: CertificationEventData,
	occurredAt = new Date()
): Promise<EventEnvelope> {
	const envelope: EventEnvelope = { id: randomUUID(), type, occurredAt: occurredAt.toISOString(), data };
	const targets = await tx
		.select({ id: webhook.id })
		.from(webhook)
		.where(and(eq(webhook.active, true), arrayContains(webhook.events, [type])));
	if (targets.length > 0) {
		await tx.insert(webhookDelivery).values(
			targets.map((t) => ({ webhookId: t.id, event: type, payload: envelope as unknown as Record<string, unknown>, nextAttemptAt: occurredAt }))
		);
	}
	return envelope;
}
