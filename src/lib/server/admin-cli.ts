import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db';
import { API_SCOPES, team } from './db/schema';
import { ServiceError } from './errors';
import { isRole, ROLES, type Role } from './auth/roles';
import { createUser, findUserByEmail, inviteUser, setActive, setRoles } from './users';
import { createApiToken, findApiTokenByName, isScope, revokeApiToken, TOKEN_NAME_MAX } from './api/tokens';

export const ADMIN_USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --email <email> --role <role> [--role <role> …] [--name <name>] [--team <team name>] [--invite]
      Creates an account. Prints a generated password to hand over once (the user changes it on
      the profile page), or with --invite a one-time invitation link valid for 7 days.
  set-roles --email <email> (--role <role> [--role <role> …] | --none)
      Replaces the user's roles.
  deactivate --email <email>
      Blocks sign-in and ends every session of the user at once.
  reactivate --email <email>
      Lets a deactivated user sign in again.
  create-token --name <name> --scope <scope> [--scope <scope> …]
      Issues an API token for a dispatch system and prints it once (only its SHA-256 is stored).
  revoke-token --name <name>
      Revokes the API token at once: calls with it are refused from then on.

Roles: ${ROLES.join(', ')}
Scopes: ${API_SCOPES.join(', ')}
Database: DATABASE_URL when set, otherwise the embedded database in DATA_DIR (default ./data).
Stop the app first when it uses the embedded database: only one process may open it.`;

export class UsageError extends Error {}

export interface CliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	/** Base of invitation links, e.g. https://training.example.com */
	baseUrl: string;
}

const OPTIONS = {
	email: { type: 'string' },
	role: { type: 'string', multiple: true },
	name: { type: 'string' },
	team: { type: 'string' },
	invite: { type: 'boolean' },
	none: { type: 'boolean' },
	scope: { type: 'string', multiple: true },
	help: { type: 'boolean', short: 'h' }
} as const;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;

/** Validates the command line before anything touches the database. */
export function parseAdminArgs(argv: string[]): { command: string; values: Parsed['values'] } {
	let parsed: Parsed;
	try {
		parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const [command, ...extra] = parsed.positionals;
	const v = parsed.values;
	if (v.help || !command) throw new UsageError(command ? '' : 'Name a command.');
	if (extra.length) throw new UsageError(`Unexpected argument: ${extra[0]}`);
	if (!['create-user', 'set-roles', 'deactivate', 'reactivate', ...TOKEN_COMMANDS].includes(command))
		throw new UsageError(`Unknown command "${command}".`);
	if (TOKEN_COMMANDS.includes(command)) {
		checkTokenArgs(command, v);
		return { command, values: v };
	}
	if (v.scope) throw new UsageError('--scope belongs to create-token.');
	if (!v.email) throw new UsageError('--email is required.');
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim()) || v.email.length > 254)
		throw new UsageError(`"${v.email}" is not a valid email address.`);
	const roles = v.role ?? [];
	const unknown = roles.find((r) => !isRole(r));
	if (unknown) throw new UsageError(`Unknown role "${unknown}". Roles: ${ROLES.join(', ')}.`);
	if (command === 'create-user' && !roles.length) throw new UsageError('create-user needs at least one --role.');
	if (command === 'set-roles' && !roles.length && !v.none) throw new UsageError('set-roles needs --role <role> or --none.');
	if (command === 'set-roles' && roles.length && v.none) throw new UsageError('Use either --role or --none, not both.');
	if (command !== 'create-user' && (v.name || v.team || v.invite))
		throw new UsageError('--name, --team and --invite belong to create-user.');
	if (v.name !== undefined && (!v.name.trim() || v.name.length > 100)) throw new UsageError('--name must be 1 to 100 characters.');
	return { command, values: v };
}

const TOKEN_COMMANDS = ['create-token', 'revoke-token'];

function checkTokenArgs(command: string, v: Parsed['values']) {
	if (v.email || v.role || v.team || v.invite || v.none) throw new UsageError('--email, --role, --team, --invite and --none belong to the user commands.');
	if (v.name === undefined) throw new UsageError(`${command} needs --name <token name>.`);
	if (!v.name.trim() || v.name.trim().length > TOKEN_NAME_MAX) throw new UsageError(`--name must be 1 to ${TOKEN_NAME_MAX} characters.`);
	const scopes = v.scope ?? [];
	if (command === 'revoke-token' && scopes.length) throw new UsageError('--scope belongs to create-token.');
	if (command === 'create-token' && !scopes.length) throw new UsageError(`create-token needs at least one --scope (${API_SCOPES.join(', ')}).`);
	const unknown = scopes.find((s) => !isScope(s));
	if (unknown !== undefined) throw new UsageError(`Unknown scope "${unknown}". Scopes: ${API_SCOPES.join(', ')}.`);
}

async function runTokenCommand(db: Db, command: string, v: Parsed['values'], io: CliIo): Promise<number> {
	const name = v.name!.trim();
	if (command === 'create-token') {
		const { token, secret } = await createApiToken(db, { name, scopes: v.scope ?? [] }, null);
		io.out(`Created API token "${token.name}" (${token.scopes.join(', ')}).`);
		io.out(`Token (shown once; store it in the dispatch system now): ${secret}`);
		return 0;
	}
	const token = await findApiTokenByName(db, name);
	if (!token) throw new ServiceError(`No API token is named "${name}".`);
	await revokeApiToken(db, token.id, null);
	io.out(`Revoked API token "${token.name}": calls with it are refused from now on.`);
	return 0;
}

/** Runs one admin command; returns the process exit code (0 done, 1 refused, 2 bad usage). */
export async function runAdminCommand(db: Db, argv: string[], io: CliIo): Promise<number> {
	let command: string;
	let v: Parsed['values'];
	try {
		({ command, values: v } = parseAdminArgs(argv));
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		if (e.message) io.err(`Error: ${e.message}\n`);
		io.err(ADMIN_USAGE);
		return 2;
	}
	try {
		if (TOKEN_COMMANDS.includes(command)) return await runTokenCommand(db, command, v, io);
		const email = v.email!.trim().toLowerCase();
		const roles = (v.role ?? []) as Role[];
		if (command === 'create-user') {
			let teamId: string | null = null;
			if (v.team) {
				const [row] = await db.select({ id: team.id }).from(team).where(eq(team.name, v.team));
				if (!row) throw new ServiceError(`No team is named "${v.team}".`);
				teamId = row.id;
			}
			const displayName = v.name?.trim() || email.split('@')[0]!;
			if (v.invite) {
				const invited = await inviteUser(db, { email, displayName, roles, teamId }, null);
				io.out(`Created ${email} (${roles.join(', ')}).`);
				io.out(`One-time invitation link, valid until ${invited.expiresAt.toISOString()}:`);
				io.out(`${io.baseUrl}/invite/${invited.token}`);
			} else {
				const password = randomBytes(12).toString('base64url');
				await createUser(db, { email, displayName, roles, teamId, password }, null);
				io.out(`Created ${email} (${roles.join(', ')}).`);
				io.out(`Password (shown once; ask the user to change it on the profile page): ${password}`);
			}
			return 0;
		}
		const target = await findUserByEmail(db, email);
		if (!target) throw new ServiceError(`No user has the email ${email}.`);
		if (command === 'set-roles') {
			const result = await setRoles(db, target.id, v.none ? [] : roles, null);
			io.out(
				result.changed
					? `Roles of ${email}: ${result.before.join(', ') || 'none'} → ${result.after.join(', ') || 'none'}.`
					: `Roles of ${email} unchanged: ${result.after.join(', ') || 'none'}.`
			);
			return 0;
		}
		const active = command === 'reactivate';
		const result = await setActive(db, target.id, active, null);
		io.out(
			result.changed
				? active
					? `${email} can sign in again.`
					: `${email} is deactivated; every session has ended.`
				: `${email} was already ${active ? 'active' : 'deactivated'}.`
		);
		return 0;
	} catch (e) {
		if (e instanceof ServiceError) {
			io.err(`Error: ${e.message}`);
			return 1;
		}
		throw e;
	}
}
