import { decideHost, NO_ALLOWANCE, type AddressPolicy, type Refusal } from './address-policy';

/** Longest receiver address accepted. */
export const MAX_WEBHOOK_URL = 2000;

export type WebhookUrlCheck =
	| { ok: true; url: string }
	| { ok: false; reason: 'invalid' | 'credentials' | 'too-long' }
	| { ok: false; reason: 'internal'; refusal: Refusal };

/**
 * Rule "receiver address": an absolute http:// or https:// URL with a host name, at most
 * MAX_WEBHOOK_URL characters, without a user name or password (fetch refuses those, and a secret
 * belongs in the signing secret, not in a logged address). Surrounding spaces and any #fragment
 * (never sent to a server) are dropped; the rest is kept as the URL parser normalised it.
 * Rule "public receiver": a host that is an IP address (in any spelling: the URL parser writes
 * 2130706433 and 0x7f.1 as 127.0.0.1) or a `localhost` name must be allowed by the webhook address
 * `policy`; other host names are checked on the addresses they resolve to, at each delivery.
 */
export function checkWebhookUrl(input: string, policy: AddressPolicy = NO_ALLOWANCE): WebhookUrlCheck {
	const text = input.trim();
	if (text.length > MAX_WEBHOOK_URL) return { ok: false, reason: 'too-long' };
	// The host must follow the two slashes: the URL parser would read "https:///x" as host "x".
	if (!/^https?:\/\/[^/\\\s]/i.test(text)) return { ok: false, reason: 'invalid' };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, reason: 'invalid' };
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return { ok: false, reason: 'invalid' };
	if (url.username || url.password) return { ok: false, reason: 'credentials' };
	const decision = decideHost(url.hostname, policy);
	if (decision && !decision.allowed) return { ok: false, reason: 'internal', refusal: decision.refusal };
	url.hash = '';
	const normalised = url.toString();
	if (normalised.length > MAX_WEBHOOK_URL) return { ok: false, reason: 'too-long' };
	return { ok: true, url: normalised };
}
