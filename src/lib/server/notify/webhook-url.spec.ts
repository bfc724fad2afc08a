import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_URL, checkWebhookUrl } from './webhook-url';
import { parseAllowedNetworks } from './address-policy';

/* Addresses here are only checked as text: nothing is contacted. */
const loopbackAllowed = parseAllowedNetworks('127.0.0.0/8,::1/128');

describe('checkWebhookUrl', () => {
	it('accepts http and https addresses with a host, normalised, without the fragment', () => {
		expect(checkWebhookUrl('https://dispatch.example.com/hooks/serviceready')).toEqual({ ok: true, url: 'https://dispatch.example.com/hooks/serviceready' });
		expect(checkWebhookUrl('  HTTP://127.0.0.1:8080/in?x=1#top ', loopbackAllowed)).toEqual({ ok: true, url: 'http://127.0.0.1:8080/in?x=1' });
		expect(checkWebhookUrl('https://[::1]:9000/', loopbackAllowed)).toEqual({ ok: true, url: 'https://[::1]:9000/' });
		expect(checkWebhookUrl('http://93.184.216.34/in')).toEqual({ ok: true, url: 'http://93.184.216.34/in' });
		expect(checkWebhookUrl('https://[2606:2800::1]/in')).toEqual({ ok: true, url: 'https://[2606:2800::1]/in' });
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

	it('refuses an internal address in any spelling, naming its range, unless the policy allows it', () => {
		const cases: Array<[string, string, string]> = [
			['http://127.0.0.1:8080/', 'loopback', '127.0.0.0/8'],
			['http://2130706433:22/', 'loopback', '127.0.0.0/8'],
			['http://0177.0.0.1/', 'loopback', '127.0.0.0/8'],
			['http://0x7f.1/', 'loopback', '127.0.0.0/8'],
			['http://127.1/', 'loopback', '127.0.0.0/8'],
			['http://[::1]/', 'loopback', '::1/128'],
			['http://[::ffff:127.0.0.1]/', 'loopback', '127.0.0.0/8'],
			['http://[::ffff:7f00:1]/', 'loopback', '127.0.0.0/8'],
			['http://[::127.0.0.1]/', 'loopback', '127.0.0.0/8'],
			['http://localhost:22/', 'loopback', '127.0.0.0/8'],
			['http://LocalHost./', 'loopback', '127.0.0.0/8'],
			['http://0.0.0.0:5432/', 'unspecified', '0.0.0.0/8'],
			['http://0/', 'unspecified', '0.0.0.0/8'],
			['http://169.254.169.254/latest/meta-data/', 'link-local', '169.254.0.0/16'],
			['http://10.0.0.1/', 'private', '10.0.0.0/8'],
			['https://192.168.0.10/', 'private', '192.168.0.0/16'],
			['http://[fd00::1]/', 'private', 'fc00::/7'],
			['http://[fe80::1]/', 'link-local', 'fe80::/10'],
			['http://100.64.0.1/', 'shared', '100.64.0.0/10'],
			['http://224.0.0.1/', 'multicast', '224.0.0.0/4'],
			['http://255.255.255.255/', 'broadcast', '255.255.255.255/32'],
			['http://192.0.2.1/', 'documentation', '192.0.2.0/24']
		];
		for (const [url, kind, network] of cases) {
			const check = checkWebhookUrl(url);
			expect(check.ok, url).toBe(false);
			expect(check, url).toMatchObject({ reason: 'internal', refusal: { kind, network } });
		}
		expect(checkWebhookUrl('http://2130706433:22/', loopbackAllowed)).toEqual({ ok: true, url: 'http://127.0.0.1:22/' });
		expect(checkWebhookUrl('http://10.0.0.1/', loopbackAllowed)).toMatchObject({ ok: false, reason: 'internal' });
		// Host names are decided on their resolved addresses at each delivery.
		expect(checkWebhookUrl('https://hooks.internal.example/in')).toEqual({ ok: true, url: 'https://hooks.internal.example/in' });
	});

	it('refuses an address longer than the limit', () => {
		const path = 'a'.repeat(MAX_WEBHOOK_URL);
		expect(checkWebhookUrl(`https://example.com/${path}`)).toEqual({ ok: false, reason: 'too-long' });
		const fits = `https://example.com/${'a'.repeat(MAX_WEBHOOK_URL - 'https://example.com/'.length)}`;
		expect(checkWebhookUrl(fits).ok).toBe(true);
	});
});
