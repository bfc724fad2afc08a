import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_URL, checkWebhookUrl } from './webhook-url';

describe('checkWebhookUrl', () => {
	it('accepts http and https addresses with a host, normalised, without the fragment', () => {
		expect(checkWebhookUrl('https://dispatch.example.com/hooks/serviceready')).toEqual({ ok: true, url: 'https://dispatch.example.com/hooks/serviceready' });
		expect(checkWebhookUrl('  HTTP://127.0.0.1:8080/in?x=1#top ')).toEqual({ ok: true, url: 'http://127.0.0.1:8080/in?x=1' });
		expect(checkWebhookUrl('https://[::1]:9000/')).toEqual({ ok: true, url: 'https://[::1]:9000/' });
		expect(checkWebhookUrl('https://例子.测试/hook')).toEqual({ ok: true, url: 'https://xn--fsqu00a.xn--0zwm56d/hook' });
	});

	it('refuses other schemes, relative addresses, no host, and text that is not a URL', () => {
		for (const bad of ['ftp://example.com/x', 'javascript:alert(1)', 'mailto:a@b.c', '/hooks', 'example.com/hook', 'http://', 'https:///path', 'http:// spaced.example.com', '', 'file:///etc/passwd', 'https//example.com']) {
			expect(checkWebhookUrl(bad), bad).toEqual({ ok: false, reason: 'invalid' });
		}
	});

	it('refuses a user name or password in the address', () => {
		expect(checkWebhookUrl('https://user:pw@example.com/hook')).toEqual({ ok: false, reason: 'credentials' });
		expect(checkWebhookUrl('https://user@example.com/hook')).toEqual({ ok: false, reason: 'credentials' });
	});

	it('refuses an address longer than the limit', () => {
		const path = 'a'.repeat(MAX_WEBHOOK_URL);
		expect(checkWebhookUrl(`https://example.com/${path}`)).toEqual({ ok: false, reason: 'too-long' });
		const fits = `https://example.com/${'a'.repeat(MAX_WEBHOOK_URL - 'https://example.com/'.length)}`;
		expect(checkWebhookUrl(fits).ok).toBe(true);
	});
});
