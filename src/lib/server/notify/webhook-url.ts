/** Longest receiver address accepted. */
export const MAX_WEBHOOK_URL = 2000;

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: 'invalid' | 'credentials' | 'too-long' };

/**
 * Rule "receiver address": an absolute http:// or https:// URL with a host name, at most
 * MAX_WEBHOOK_URL characters, without a user name or password (fetch refuses those, and a secret
 * belongs in the signing secret, not in a logged address). Surrounding spaces and any #fragment
 * (never sent to a server) are dropped; the rest is kept as the URL parser normalised it.
 */
export function checkWebhookUrl(input: string): WebhookUrlCheck {
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
	url.hash = '';
	const normalised = url.toString();
	if (normalised.length > MAX_WEBHOOK_URL) return { ok: false, reason: 'too-long' };
	return { ok: true, url: normalised };
}
