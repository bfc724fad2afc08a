import { m } from '$lib/paraglide/messages.js';

/** A certification's standing as a badge: its words in the current language and its colour. */
export function standingBadge(status: string): { label: string; tone: '' | 'ok' | 'warn' | 'bad' } {
	switch (status) {
		case 'active':
			return { label: m.cert_status_active(), tone: 'ok' };
		case 'renewal-due':
			return { label: m.cert_status_renewal_due(), tone: 'warn' };
		case 'expired':
			return { label: m.cert_status_expired(), tone: 'bad' };
		case 'revoked':
			return { label: m.cert_status_revoked(), tone: 'bad' };
		case 'not-yet-valid':
			return { label: m.trainer_cert_status_scheduled(), tone: '' };
		default:
			return { label: m.cert_status_none(), tone: '' };
	}
}
