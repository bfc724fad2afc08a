import { isIPv4, isIPv6 } from 'node:net';

/*
 * The webhook address policy: where the server may send a webhook request. A receiver must be on
 * the public internet; internal networks (loopback, private, link-local, cloud metadata at
 * 169.254.169.254 …) are refused, so that a webhook cannot be used to reach, or map, services that
 * only the server can see. An operator names internal ranges that may be reached with
 * WEBHOOK_ALLOWED_NETWORKS.
 *
 * Addresses are parsed into bytes here, in every spelling an address may take in a URL or from a
 * resolver: IPv4 as one to four parts in decimal, octal or hex (2130706433, 0177.0.0.1, 0x7f.1,
 * 127.1), IPv6 with `::`, a trailing dotted IPv4 part, brackets or a zone. IPv6 addresses that
 * carry an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) are judged by that IPv4 address.
 */

/** What a refused range is for. */
export type RangeKind =
	| 'unspecified'
	| 'loopback'
	| 'private'
	| 'link-local'
	| 'shared'
	| 'multicast'
	| 'broadcast'
	| 'documentation'
	| 'benchmarking'
	| 'protocol'
	| 'reserved';

/** A network: 4 bytes (IPv4) or 16 (IPv6), the prefix length in bits, and how it is written. */
export interface Network {
	bytes: Uint8Array;
	prefix: number;
	text: string;
}

/** Why an address is refused: the kind and the range it is in, and the IPv6 form that carried it. */
export interface Refusal {
	kind: RangeKind;
	network: string;
	/** For an IPv4 address inside an IPv6 one: the IPv6 range that embeds it. */
	via?: string;
}

export type AddressDecision = { allowed: true } | { allowed: false; refusal: Refusal };

/** The internal ranges an operator allows (WEBHOOK_ALLOWED_NETWORKS). Everything else refused stays refused. */
export interface AddressPolicy {
	allowed: readonly Network[];
}

/** The default: no internal range is allowed. */
export const NO_ALLOWANCE: AddressPolicy = Object.freeze({ allowed: Object.freeze([]) as readonly Network[] });

/** The setting that allows internal ranges. */
export const ALLOWED_NETWORKS_SETTING = 'WEBHOOK_ALLOWED_NETWORKS';

const KIND_TEXT: Record<RangeKind, string> = {
	unspecified: 'unspecified',
	loopback: 'loopback',
	private: 'private',
	'link-local': 'link-local',
	shared: 'shared address space',
	multicast: 'multicast',
	broadcast: 'broadcast',
	documentation: 'documentation',
	benchmarking: 'benchmarking',
	protocol: 'IETF protocol assignments',
	reserved: 'reserved'
};

/** A refusal in words, e.g. "loopback 127.0.0.0/8" or "loopback 127.0.0.0/8 (via ::ffff:0:0/96)". */
export function describeRefusal(refusal: Refusal): string {
	return `${KIND_TEXT[refusal.kind]} ${refusal.network}${refusal.via ? ` (via ${refusal.via})` : ''}`;
}

/* Parsing */

/**
 * One part of an IPv4 address as the URL standard reads it: `0x` or `0X` starts hex (nothing after
 * it is 0), a leading 0 starts octal, anything else is decimal. Null when it is not a number.
 */
function ipv4Number(part: string): number | null {
	if (part === '') return null;
	let radix = 10;
	let digits = part;
	if (part.length >= 2 && part[0] === '0' && (part[1] === 'x' || part[1] === 'X')) {
		radix = 16;
		digits = part.slice(2);
	} else if (part.length >= 2 && part[0] === '0') {
		radix = 8;
		digits = part.slice(1);
	}
	if (digits === '') return 0;
	const allowed = radix === 16 ? '0123456789abcdefABCDEF' : radix === 8 ? '01234567' : '0123456789';
	for (const c of digits) if (!allowed.includes(c)) return null;
	// Long digit strings lose precision here, but anything that long is far beyond 2^32 and refused.
	return parseInt(digits, radix);
}

/**
 * An IPv4 address in any spelling the URL standard and inet_aton accept: one to four parts
 * separated by dots (one trailing dot allowed), each decimal, octal or hex; the last part fills the
 * remaining bytes (127.1 is 127.0.0.1, 2130706433 is 127.0.0.1). Null when the text is not one.
 */
export function parseIPv4(text: string): Uint8Array | null {
	const parts = text.split('.');
	if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
	if (parts.length === 0 || parts.length > 4) return null;
	const numbers: number[] = [];
	for (const part of parts) {
		const n = ipv4Number(part);
		if (n === null) return null;
		numbers.push(n);
	}
	const last = numbers.pop()!;
	if (numbers.some((n) => n > 255)) return null;
	if (last >= 256 ** (4 - numbers.length)) return null;
	let value = last;
	numbers.forEach((n, i) => (value += n * 256 ** (3 - i)));
	return Uint8Array.of(Math.floor(value / 2 ** 24) % 256, Math.floor(value / 2 ** 16) % 256, Math.floor(value / 2 ** 8) % 256, value % 256);
}

/** Strict dotted decimal only (four parts 0–255, no leading zeros), as inside IPv6 text and in settings. */
function parseDottedQuad(text: string): Uint8Array | null {
	if (!isIPv4(text)) return null;
	return Uint8Array.from(text.split('.').map(Number));
}

function hexGroup(text: string): number | null {
	if (text.length < 1 || text.length > 4) return null;
	for (const c of text) if (!'0123456789abcdefABCDEF'.includes(c)) return null;
	return parseInt(text, 16);
}

/** The 16-bit groups of one side of `::`; a dotted IPv4 part is allowed only at the very end. */
function ipv6Groups(text: string, mayEndWithIPv4: boolean): number[] | null {
	if (text === '') return [];
	const parts = text.split(':');
	const groups: number[] = [];
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i]!;
		if (part.includes('.')) {
			if (!mayEndWithIPv4 || i !== parts.length - 1) return null;
			const v4 = parseDottedQuad(part);
			if (!v4) return null;
			groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
		} else {
			const group = hexGroup(part);
			if (group === null) return null;
			groups.push(group);
		}
	}
	return groups;
}

/**
 * An IPv6 address, with or without brackets, with or without a zone (`%eth0`, dropped), with `::`
 * and a trailing dotted IPv4 part. Checked with node:net's isIPv6 first, then read group by group.
 */
export function parseIPv6(text: string): Uint8Array | null {
	let t = text;
	if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
	const zone = t.indexOf('%');
	if (zone >= 0) t = t.slice(0, zone);
	if (!isIPv6(t)) return null;
	const halves = t.split('::');
	if (halves.length > 2) return null;
	const head = ipv6Groups(halves[0]!, halves.length === 1);
	const tail = halves.length === 2 ? ipv6Groups(halves[1]!, true) : [];
	if (!head || !tail) return null;
	if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) return null;
	const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
	const bytes = new Uint8Array(16);
	groups.forEach((g, i) => {
		bytes[2 * i] = g >> 8;
		bytes[2 * i + 1] = g & 0xff;
	});
	return bytes;
}

/** An IP address in any spelling (see parseIPv4, parseIPv6) as 4 or 16 bytes; null for a host name. */
export function parseAddress(text: string): Uint8Array | null {
	return text.includes(':') || text.startsWith('[') ? parseIPv6(text) : parseIPv4(text);
}

/** The bytes as an address in its usual text (dotted IPv4; IPv6 groups without leading zeros, no `::`). */
export function formatAddress(bytes: Uint8Array): string {
	if (bytes.length === 4) return Array.from(bytes).join('.');
	const groups: string[] = [];
	for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
	return groups.join(':');
}

/** A network written `address/prefix`, the address strict (dotted decimal or IPv6), no host bits set. */
export function parseNetwork(text: string): Network {
	const slash = text.indexOf('/');
	if (slash < 0) throw new RangeError(`"${text}" has no prefix length (write it as address/bits, e.g. 10.1.2.0/24 or 10.1.2.7/32)`);
	const address = text.slice(0, slash);
	const bits = text.slice(slash + 1);
	// Plain text only: no brackets, no zone, no short or octal IPv4 spellings.
	const bytes = address.includes(':') ? (/[[\]%]/.test(address) ? null : parseIPv6(address)) : parseDottedQuad(address);
	if (!bytes) throw new RangeError(`"${address}" is not an IPv4 address in dotted decimal or an IPv6 address`);
	const max = bytes.length * 8;
	if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) throw new RangeError(`"${bits}" is not a prefix length 0–${max}`);
	const network: Network = { bytes, prefix: Number(bits), text: `${address}/${Number(bits)}` };
	const masked = mask(bytes, network.prefix);
	if (masked.some((b, i) => b !== bytes[i])) throw new RangeError(`"${text}" has bits set after the prefix (did you mean ${formatAddress(masked)}/${network.prefix}?)`);
	return network;
}

function mask(bytes: Uint8Array, prefix: number): Uint8Array {
	return bytes.map((b, i) => {
		const keep = Math.max(0, Math.min(8, prefix - 8 * i));
		return b & ((0xff << (8 - keep)) & 0xff);
	});
}

/** Whether `bytes` lies in `network` (always false across IPv4 and IPv6). */
export function inNetwork(bytes: Uint8Array, network: Network): boolean {
	if (bytes.length !== network.bytes.length) return false;
	const masked = mask(bytes, network.prefix);
	return masked.every((b, i) => b === network.bytes[i]);
}

/**
 * Reads WEBHOOK_ALLOWED_NETWORKS: comma-separated networks, IPv4 and IPv6, e.g.
 * `10.1.2.0/24,127.0.0.1/32,fd00:1::/64`. Unset or blank allows nothing internal. Anything else is a
 * configuration error, thrown with the setting's name.
 */
export function parseAllowedNetworks(raw: string | undefined): AddressPolicy {
	if (raw === undefined || raw.trim() === '') return NO_ALLOWANCE;
	const allowed: Network[] = [];
	for (const entry of raw.split(',')) {
		try {
			allowed.push(parseNetwork(entry.trim()));
		} catch (e) {
			const why = e instanceof Error ? e.message : String(e);
			throw new RangeError(
				`${ALLOWED_NETWORKS_SETTING} must be comma-separated networks such as 10.1.2.0/24,127.0.0.1/32,fd00::/8, but "${raw.slice(0, 200)}" is not: ${entry.trim() === '' ? 'an entry is empty' : why}`
			);
		}
	}
	return Object.freeze({ allowed: Object.freeze(allowed) });
}

let cached: { raw: string | undefined; policy: AddressPolicy } | null = null;

/** The policy this process runs with, from its environment (read once per value of the setting). */
export function webhookAddressPolicy(env: { WEBHOOK_ALLOWED_NETWORKS?: string } = process.env): AddressPolicy {
	const raw = env.WEBHOOK_ALLOWED_NETWORKS;
	if (!cached || cached.raw !== raw) cached = { raw, policy: parseAllowedNetworks(raw) };
	return cached.policy;
}

/* The ranges refused */

function table(entries: Array<[string, RangeKind]>): Array<{ network: Network; kind: RangeKind }> {
	return entries.map(([text, kind]) => ({ network: parseNetwork(text), kind }));
}

/**
 * IPv4: the IANA special-purpose registry's ranges that are not globally reachable, with multicast
 * and the reserved 240.0.0.0/4. 192.88.99.0/24 (the deprecated 6to4 relay anycast) is refused too;
 * the globally reachable AS112 and AMT ranges are not.
 */
const IPV4_REFUSED = table([
	['0.0.0.0/8', 'unspecified'],
	['10.0.0.0/8', 'private'],
	['100.64.0.0/10', 'shared'],
	['127.0.0.0/8', 'loopback'],
	['169.254.0.0/16', 'link-local'],
	['172.16.0.0/12', 'private'],
	['192.0.0.0/24', 'protocol'],
	['192.0.2.0/24', 'documentation'],
	['192.88.99.0/24', 'reserved'],
	['192.168.0.0/16', 'private'],
	['198.18.0.0/15', 'benchmarking'],
	['198.51.100.0/24', 'documentation'],
	['203.0.113.0/24', 'documentation'],
	['224.0.0.0/4', 'multicast'],
	['240.0.0.0/4', 'reserved'],
	['255.255.255.255/32', 'broadcast']
]);

/**
 * IPv6: everything outside global unicast 2000::/3 (each block named), and inside it the special
 * ranges that are not globally reachable. The IPv4-embedding ranges are judged by their IPv4
 * address first (see decideAddress); the IPv4-compatible ::/96 is deprecated and refused even with
 * a public address in it.
 */
const IPV6_REFUSED = table([
	['::/128', 'unspecified'],
	['::1/128', 'loopback'],
	['::/96', 'reserved'],
	['::/8', 'reserved'],
	['64:ff9b:1::/48', 'private'],
	['100::/64', 'reserved'],
	['100::/8', 'reserved'],
	['200::/7', 'reserved'],
	['400::/6', 'reserved'],
	['800::/5', 'reserved'],
	['1000::/4', 'reserved'],
	['2001::/23', 'protocol'],
	['2001:db8::/32', 'documentation'],
	['3fff::/20', 'documentation'],
	['4000::/3', 'reserved'],
	['5f00::/16', 'reserved'],
	['6000::/3', 'reserved'],
	['8000::/3', 'reserved'],
	['a000::/3', 'reserved'],
	['c000::/3', 'reserved'],
	['e000::/4', 'reserved'],
	['f000::/5', 'reserved'],
	['f800::/6', 'reserved'],
	['fc00::/7', 'private'],
	['fe00::/9', 'reserved'],
	['fe80::/10', 'link-local'],
	['fec0::/10', 'private'],
	['ff00::/8', 'multicast']
]);

/**
 * IPv6 ranges that carry an IPv4 address, where its 4 bytes are, and whether one carrying a public
 * IPv4 address is allowed (IPv4-mapped, NAT64 and 6to4 reach that address; the IPv4-compatible
 * form is deprecated and reaches nothing useful).
 */
const EMBEDDING: Array<{ network: Network; at: number; publicAllowed: boolean }> = [
	{ network: parseNetwork('::ffff:0:0/96'), at: 12, publicAllowed: true },
	{ network: parseNetwork('::/96'), at: 12, publicAllowed: false },
	{ network: parseNetwork('64:ff9b::/96'), at: 12, publicAllowed: true },
	{ network: parseNetwork('2002::/16'), at: 2, publicAllowed: true }
];

const IPV6_UNSPECIFIED = parseNetwork('::/128');
const IPV6_LOOPBACK = parseNetwork('::1/128');

/** The most specific refused range `bytes` is in, if any. */
function refusedRange(bytes: Uint8Array): Refusal | null {
	let best: { network: Network; kind: RangeKind } | null = null;
	for (const entry of bytes.length === 4 ? IPV4_REFUSED : IPV6_REFUSED) {
		if (inNetwork(bytes, entry.network) && (!best || entry.network.prefix > best.network.prefix)) best = entry;
	}
	return best ? { kind: best.kind, network: best.network.text } : null;
}

/**
 * Decides one address (bytes from parseAddress, or its text): allowed when the operator allows a
 * network it is in, or when it is in no refused range. An IPv6 address embedding an IPv4 address is
 * decided by that IPv4 address (so ::ffff:127.0.0.1 is loopback, and allowed by 127.0.0.1/32).
 */
export function decideAddress(address: Uint8Array | string, policy: AddressPolicy = NO_ALLOWANCE): AddressDecision {
	const bytes = typeof address === 'string' ? parseAddress(address) : address;
	if (!bytes || (bytes.length !== 4 && bytes.length !== 16)) {
		return { allowed: false, refusal: { kind: 'reserved', network: `not an IP address: ${String(address).slice(0, 60)}` } };
	}
	if (policy.allowed.some((network) => inNetwork(bytes, network))) return { allowed: true };
	if (bytes.length === 16 && !inNetwork(bytes, IPV6_UNSPECIFIED) && !inNetwork(bytes, IPV6_LOOPBACK)) {
		for (const { network, at, publicAllowed } of EMBEDDING) {
			if (!inNetwork(bytes, network)) continue;
			const inner = decideAddress(bytes.slice(at, at + 4), policy);
			if (!inner.allowed) return { allowed: false, refusal: { ...inner.refusal, via: network.text } };
			if (publicAllowed) return inner;
			break;
		}
	}
	const refusal = refusedRange(bytes);
	return refusal ? { allowed: false, refusal } : { allowed: true };
}

/**
 * Decides all the addresses a host name resolved to: refused when any one is (the connection could
 * go to any of them).
 */
export function decideAddresses(addresses: readonly string[], policy: AddressPolicy = NO_ALLOWANCE): AddressDecision {
	for (const address of addresses) {
		const decision = decideAddress(address, policy);
		if (!decision.allowed) return decision;
	}
	return { allowed: true };
}

/** Names that are loopback by definition (RFC 6761): `localhost` and anything under it. */
export function isLocalhostName(host: string): boolean {
	const name = host.toLowerCase().replace(/\.$/, '');
	return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Decides the host of a URL as written (`URL.hostname`, IPv6 in brackets) without resolving it:
 * an IP address is decided, `localhost` names as 127.0.0.1 and ::1; any other host name returns
 * null: it is decided on the addresses it resolves to, at each delivery.
 */
export function decideHost(host: string, policy: AddressPolicy = NO_ALLOWANCE): AddressDecision | null {
	const bytes = parseAddress(host);
	if (bytes) return decideAddress(bytes, policy);
	if (isLocalhostName(host)) return decideAddresses(['127.0.0.1', '::1'], policy);
	return null;
}
