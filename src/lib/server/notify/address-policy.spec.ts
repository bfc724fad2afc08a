import { describe, expect, it } from 'vitest';
import {
	NO_ALLOWANCE,
	decideAddress,
	decideAddresses,
	decideHost,
	describeRefusal,
	formatAddress,
	parseAddress,
	parseAllowedNetworks,
	parseIPv4,
	parseIPv6,
	webhookAddressPolicy,
	type AddressDecision
} from './address-policy';

/* Every address here is only a string given to pure functions: nothing is contacted. */

const refusedAs = (decision: AddressDecision) => (decision.allowed ? 'allowed' : describeRefusal(decision.refusal));
const text = (bytes: Uint8Array | null) => (bytes ? formatAddress(bytes) : null);

describe('parsing addresses', () => {
	it('reads IPv4 in every spelling the URL standard and inet_aton accept', () => {
		const loopback = '127.0.0.1';
		for (const spelling of ['127.0.0.1', '2130706433', '0177.0.0.1', '0x7f.1', '0X7F.0.0.1', '127.1', '127.0.1', '0x7f000001', '017700000001', '0x7f.0x0.0x0.0x1', '127.0.0.1.', '0177.0.0.01']) {
			expect(text(parseIPv4(spelling)), spelling).toBe(loopback);
		}
		expect(text(parseIPv4('0'))).toBe('0.0.0.0');
		expect(text(parseIPv4('0x'))).toBe('0.0.0.0');
		expect(text(parseIPv4('4294967295'))).toBe('255.255.255.255');
		expect(text(parseIPv4('2852039166'))).toBe('169.254.169.254');
		expect(text(parseIPv4('0xa9.0xfe.0xa9.0xfe'))).toBe('169.254.169.254');
		expect(text(parseIPv4('93.184.216.34'))).toBe('93.184.216.34');
	});

	it('refuses text that is not an IPv4 address', () => {
		for (const bad of ['', '.', '256.0.0.1', '1.2.3.256', '1.256.3', '4294967296', '0x100000000', '08', '09.1.1.1', '0x1g', '1.2.3.4.5', '1..2', 'example.com', 'localhost', '1.2.3.4 ', '-1', '+1', '1e3', 'deadbeef']) {
			expect(parseIPv4(bad), bad).toBeNull();
		}
	});

	it('reads IPv6 with ::, brackets, a zone and a trailing dotted IPv4 part', () => {
		expect(text(parseIPv6('::1'))).toBe('0:0:0:0:0:0:0:1');
		expect(text(parseIPv6('[::1]'))).toBe('0:0:0:0:0:0:0:1');
		expect(text(parseIPv6('0:0:0:0:0:0:0:1'))).toBe('0:0:0:0:0:0:0:1');
		expect(text(parseIPv6('::'))).toBe('0:0:0:0:0:0:0:0');
		expect(text(parseIPv6('::ffff:127.0.0.1'))).toBe('0:0:0:0:0:ffff:7f00:1');
		expect(text(parseIPv6('::FFFF:7F00:1'))).toBe('0:0:0:0:0:ffff:7f00:1');
		expect(text(parseIPv6('fe80::1%eth0'))).toBe('fe80:0:0:0:0:0:0:1');
		expect(text(parseIPv6('2606:2800::1'))).toBe('2606:2800:0:0:0:0:0:1');
		expect(text(parseIPv6('1::'))).toBe('1:0:0:0:0:0:0:0');
		expect(text(parseIPv6('1:2:3:4:5:6:7::'))).toBe('1:2:3:4:5:6:7:0');
		expect(text(parseIPv6('1:2:3:4:5:6:1.2.3.4'))).toBe('1:2:3:4:5:6:102:304');
	});

	it('refuses text that is not an IPv6 address', () => {
		for (const bad of ['', ':', ':::', '1::2::3', '12345::', '::1.2.3', '1.2.3.4::', '::g', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '::ffff:127.1', '::ffff:0177.0.0.1', '[::1', 'example.com']) {
			expect(parseIPv6(bad), bad).toBeNull();
		}
		expect(parseAddress('dispatch.example.com')).toBeNull();
	});
});

describe('the default policy', () => {
	it('refuses loopback, unspecified and metadata addresses in every spelling', () => {
		const cases: Array<[string, string]> = [
			['127.0.0.1', 'loopback 127.0.0.0/8'],
			['2130706433', 'loopback 127.0.0.0/8'],
			['0177.0.0.1', 'loopback 127.0.0.0/8'],
			['0x7f.1', 'loopback 127.0.0.0/8'],
			['127.1', 'loopback 127.0.0.0/8'],
			['127.255.255.254', 'loopback 127.0.0.0/8'],
			['::1', 'loopback ::1/128'],
			['[::1]', 'loopback ::1/128'],
			['0:0:0:0:0:0:0:1', 'loopback ::1/128'],
			['::ffff:127.0.0.1', 'loopback 127.0.0.0/8 (via ::ffff:0:0/96)'],
			['::ffff:7f00:1', 'loopback 127.0.0.0/8 (via ::ffff:0:0/96)'],
			['[::ffff:7f00:1]', 'loopback 127.0.0.0/8 (via ::ffff:0:0/96)'],
			['::127.0.0.1', 'loopback 127.0.0.0/8 (via ::/96)'],
			['::7f00:1', 'loopback 127.0.0.0/8 (via ::/96)'],
			['64:ff9b::7f00:1', 'loopback 127.0.0.0/8 (via 64:ff9b::/96)'],
			['2002:7f00:1::1', 'loopback 127.0.0.0/8 (via 2002::/16)'],
			['0.0.0.0', 'unspecified 0.0.0.0/8'],
			['0', 'unspecified 0.0.0.0/8'],
			['0.1.2.3', 'unspecified 0.0.0.0/8'],
			['::', 'unspecified ::/128'],
			['::ffff:0.0.0.0', 'unspecified 0.0.0.0/8 (via ::ffff:0:0/96)'],
			['169.254.169.254', 'link-local 169.254.0.0/16'],
			['2852039166', 'link-local 169.254.0.0/16'],
			['0xa9.0xfe.0xa9.0xfe', 'link-local 169.254.0.0/16'],
			['::ffff:169.254.169.254', 'link-local 169.254.0.0/16 (via ::ffff:0:0/96)'],
			['2002:a9fe:a9fe::', 'link-local 169.254.0.0/16 (via 2002::/16)'],
			['fe80::1', 'link-local fe80::/10'],
			['fe80::1%eth0', 'link-local fe80::/10'],
			['febf:ffff::1', 'link-local fe80::/10']
		];
		for (const [address, expected] of cases) expect(refusedAs(decideAddress(address)), address).toBe(expected);
	});

	it('refuses private, shared, multicast, broadcast, documentation and other special ranges', () => {
		const cases: Array<[string, string]> = [
			['10.0.0.1', 'private 10.0.0.0/8'],
			['10.255.255.255', 'private 10.0.0.0/8'],
			['172.16.0.1', 'private 172.16.0.0/12'],
			['172.31.255.255', 'private 172.16.0.0/12'],
			['192.168.1.1', 'private 192.168.0.0/16'],
			['fc00::1', 'private fc00::/7'],
			['fd12:3456:789a::1', 'private fc00::/7'],
			['fec0::1', 'private fec0::/10'],
			['64:ff9b:1::a00:1', 'private 64:ff9b:1::/48'],
			['64:ff9b::10.0.0.1', 'private 10.0.0.0/8 (via 64:ff9b::/96)'],
			['100.64.0.1', 'shared address space 100.64.0.0/10'],
			['100.127.255.255', 'shared address space 100.64.0.0/10'],
			['224.0.0.1', 'multicast 224.0.0.0/4'],
			['239.255.255.250', 'multicast 224.0.0.0/4'],
			['ff02::1', 'multicast ff00::/8'],
			['255.255.255.255', 'broadcast 255.255.255.255/32'],
			['4294967295', 'broadcast 255.255.255.255/32'],
			['240.0.0.1', 'reserved 240.0.0.0/4'],
			['255.255.255.254', 'reserved 240.0.0.0/4'],
			['192.0.2.1', 'documentation 192.0.2.0/24'],
			['198.51.100.7', 'documentation 198.51.100.0/24'],
			['203.0.113.9', 'documentation 203.0.113.0/24'],
			['2001:db8::1', 'documentation 2001:db8::/32'],
			['3fff::1', 'documentation 3fff::/20'],
			['192.0.0.8', 'IETF protocol assignments 192.0.0.0/24'],
			['2001::1', 'IETF protocol assignments 2001::/23'],
			['198.18.0.1', 'benchmarking 198.18.0.0/15'],
			['198.19.255.255', 'benchmarking 198.18.0.0/15'],
			['192.88.99.1', 'reserved 192.88.99.0/24'],
			['100::1', 'reserved 100::/64'],
			['::93.184.216.34', 'reserved ::/96'],
			['::1:0:0:1', 'reserved ::/8'],
			['4000::1', 'reserved 4000::/3'],
			['5f00::1', 'reserved 5f00::/16']
		];
		for (const [address, expected] of cases) expect(refusedAs(decideAddress(address)), address).toBe(expected);
	});

	it('allows public addresses, also next to the refused ranges and inside IPv4-carrying IPv6 forms', () => {
		for (const address of [
			'93.184.216.34',
			'8.8.8.8',
			'1.1.1.1',
			'9.255.255.255',
			'11.0.0.0',
			'100.63.255.255',
			'100.128.0.0',
			'126.255.255.255',
			'128.0.0.0',
			'169.253.255.255',
			'169.255.0.0',
			'172.15.255.255',
			'172.32.0.0',
			'192.0.1.255',
			'192.0.3.0',
			'192.31.196.1',
			'192.167.255.255',
			'192.169.0.0',
			'198.17.255.255',
			'198.20.0.0',
			'223.255.255.255',
			'2606:2800::1',
			'2606:2800:220:1:248:1893:25c8:1946',
			'2001:200::1',
			'2a00:1450:4001:81c::200e',
			'::ffff:93.184.216.34',
			'64:ff9b::5db8:d822',
			'64:ff9b::93.184.216.34',
			'2002:5db8:d822::1'
		]) {
			expect(decideAddress(address), address).toEqual({ allowed: true });
		}
	});

	it('agrees with the URL parser: every spelling of a refused host stays refused after it is normalised', () => {
		for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::127.0.0.1]', '0.0.0.0', '0', '169.254.169.254', '[0:0:0:0:0:0:0:1]']) {
			const normalised = new URL(`http://${host}:22/`).hostname;
			expect(decideHost(host)?.allowed, host).toBe(false);
			expect(decideHost(normalised)?.allowed, normalised).toBe(false);
		}
	});

	it('treats localhost names as loopback and leaves other host names to be resolved', () => {
		for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'api.localhost']) {
			expect(refusedAs(decideHost(host)!), host).toBe('loopback 127.0.0.0/8');
		}
		expect(decideHost('dispatch.example.com')).toBeNull();
		expect(decideHost('localhost.example.com')).toBeNull();
		expect(decideHost('93.184.216.34')).toEqual({ allowed: true });
	});

	it('refuses all the addresses of a name when any one of them is refused', () => {
		expect(decideAddresses(['93.184.216.34', '2606:2800::1'])).toEqual({ allowed: true });
		expect(refusedAs(decideAddresses(['93.184.216.34', '10.0.0.1']))).toBe('private 10.0.0.0/8');
		expect(refusedAs(decideAddresses(['2606:2800::1', '::1']))).toBe('loopback ::1/128');
		expect(decideAddress('not an address').allowed).toBe(false);
	});
});

describe('WEBHOOK_ALLOWED_NETWORKS', () => {
	it('allows the named internal ranges, v4 and v6, and nothing else', () => {
		const policy = parseAllowedNetworks(' 10.1.2.0/24 , 127.0.0.1/32,fd00:1::/64 ');
		expect(policy.allowed.map((n) => n.text)).toEqual(['10.1.2.0/24', '127.0.0.1/32', 'fd00:1::/64']);
		for (const address of ['10.1.2.0', '10.1.2.7', '10.1.2.255', '127.0.0.1', '2130706433', '::ffff:127.0.0.1', 'fd00:1::5', 'fd00:1::ffff:ffff:ffff:ffff']) {
			expect(decideAddress(address, policy), address).toEqual({ allowed: true });
		}
		const stillRefused: Array<[string, string]> = [
			['10.1.3.1', 'private 10.0.0.0/8'],
			['10.1.1.255', 'private 10.0.0.0/8'],
			['127.0.0.2', 'loopback 127.0.0.0/8'],
			['::1', 'loopback ::1/128'],
			['::127.0.0.1', 'reserved ::/96'],
			['fd00:2::1', 'private fc00::/7'],
			['169.254.169.254', 'link-local 169.254.0.0/16']
		];
		for (const [address, expected] of stillRefused) expect(refusedAs(decideAddress(address, policy)), address).toBe(expected);
		expect(decideHost('localhost', policy)?.allowed).toBe(false);
		expect(decideHost('localhost', parseAllowedNetworks('127.0.0.0/8,::1/128'))).toEqual({ allowed: true });
	});

	it('unset or blank allows nothing internal', () => {
		expect(parseAllowedNetworks(undefined)).toBe(NO_ALLOWANCE);
		expect(parseAllowedNetworks('  ')).toBe(NO_ALLOWANCE);
		expect(decideAddress('127.0.0.1', parseAllowedNetworks('')).allowed).toBe(false);
	});

	it('a bad value is refused with the setting named', () => {
		for (const bad of [
			'10.1.2.0',
			'lots',
			'10.1.2.0/33',
			'10.1.2.5/24',
			'fd00::/129',
			'fd00::1/64',
			'10.1.2.0/24,',
			',10.1.2.0/24',
			'10.1.2.0/24,,127.0.0.1/32',
			'010.1.2.0/24',
			'0x7f.1/32',
			'2130706433/32',
			'127.1/32',
			'fe80::1%eth0/128',
			'10.1.2.0/-1',
			'10.1.2.0/24/8',
			'::1/1a',
			'10.1.2.0/ 24',
			'10.1.2.0/',
			'[::1]/128'
		]) {
			expect(() => parseAllowedNetworks(bad), bad).toThrow(/^WEBHOOK_ALLOWED_NETWORKS must be comma-separated networks/);
		}
		expect(() => parseAllowedNetworks('10.1.2.5/24')).toThrow(/did you mean 10\.1\.2\.0\/24/);
	});

	it('is read from the environment once per value', () => {
		const env = { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' };
		const first = webhookAddressPolicy(env);
		expect(webhookAddressPolicy({ ...env })).toBe(first);
		expect(decideAddress('127.0.0.1', first)).toEqual({ allowed: true });
		expect(webhookAddressPolicy({})).toBe(NO_ALLOWANCE);
		expect(() => webhookAddressPolicy({ WEBHOOK_ALLOWED_NETWORKS: 'everything' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
	});
});
