import { m } from '$lib/paraglide/messages.js';
import { formatStamp } from '$lib/format';
import { pageZones } from '$lib/page-zones';

/** Webhook event types and delivery states as words; an unknown code is shown as is. */
const EVENTS: Record<string, () => string> = {
	'certification.granted': m.webhook_event_granted,
	'certification.renewal_due': m.webhook_event_renewal_due,
	'certification.expired': m.webhook_event_expired,
	'certification.revoked': m.webhook_event_revoked,
	'webhook.test': m.webhook_event_test
};

const STATUSES: Record<string, () => string> = {
	pending: m.webhook_status_pending,
	delivered: m.webhook_status_delivered,
	failed: m.webhook_status_failed
};

export const eventLabel = (code: string) => (Object.hasOwn(EVENTS, code) ? EVENTS[code]!() : code);
export const deliveryStatusLabel = (code: string) => (Object.hasOwn(STATUSES, code) ? STATUSES[code]!() : code);
/** A moment in the viewer's zone, to the second (call while rendering: it reads the page's zones). */
export const when = (date: Date | null) => (date ? formatStamp(date, pageZones().viewer, true) : '—');
