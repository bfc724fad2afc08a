import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import { API_SCOPES } from './db/schema';
import { ServiceError } from './errors';
import { isRole, ROLES, type Role } from './auth/roles';
import { createUser, findUserByEmail, inviteUser, setActive, setRoles } from './users';
import {
	addMember,
	createTeam,
	findTeamByName,
	linkManager,
	listTeamSummaries,
	removeMember,
	setTeamArchived,
	unlinkManager,
	updateTeam
} from './teams';
import { organisationTimeZone } from './organisation';
import { formatDate, formatZonedDateTime } from '../format';
import { createApiToken, findApiTokenByName, isScope, revokeApiToken, TOKEN_NAME_MAX } from './api/tokens';

/** The command line speaks English; its dates are days and times in the organisation's zone. */
const CLI_LOCALE = 'en';

export const ADMIN_USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --email <email> --role <role> [--role <role> …] [--name <name>] [--team <team name>] [--invite]
      Creates an account. Prints a generated password to hand over once (the user changes it on
      the profile page), or with --invite a one-time invitation link valid for 7 days.
  set-roles --email <email> --role <role> [--role <role> …]
      Replaces the user's roles. Every user keeps at least one: to block sign-in, deactivate.
  deactivate --email <email>
      Blocks sign-in and ends every session of the user at once.
  reactivate --email <email>
      Lets a deactivated user sign in again.
  teams
      Lists the teams with their zone, members (active technicians), managers and status.
  create-team --name <name> --region <region> [--time-zone <IANA zone>]
      Creates a team. Without --time-zone it keeps the organisation's zone.
  update-team --team <name> [--name <new name>] [--region <region>] [--time-zone <IANA zone | "">]
      Renames a team or changes its region or zone ("" for the organisation's zone).
  archive-team --team <name>
      Archives a team: it takes no new members, jobs or course assignments; its history stays.
  unarchive-team --team <name>
      Makes an archived team take members, jobs and assignments again.
  add-member --team <name> --email <email>
      Makes an active technician a member of the team (moving them from any other).
  remove-member --team <name> --email <email>
      Takes a member out of the team.
  link-manager --team <name> --email <email>
      Lets a user with the manager role lead the team (see its people, dispatch its jobs).
  unlink-manager --team <name> --email <email>
      Stops the manager leading the team.
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
	region: { type: 'string' },
	'time-zone': { type: 'string' },
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
	if (!['create-user', 'set-roles', 'deactivate', 'reactivate', ...TOKEN_COMMANDS, ...TEAM_COMMANDS].includes(command))
		throw new UsageError(`Unknown command "${command}".`);
	if (TOKEN_COMMANDS.includes(command)) {
		checkTokenArgs(command, v);
		return { command, values: v };
	}
	if (TEAM_COMMANDS.includes(command)) {
		checkTeamArgs(command, v);
		return { command, values: v };
	}
	if (v.region !== undefined || v['time-zone'] !== undefined) throw new UsageError('--region and --time-zone belong to the team commands.');
	if (v.none)
		throw new UsageError('--none is not accepted: every user keeps at least one role. To block sign-in, use deactivate.');
	if (v.scope) throw new UsageError('--scope belongs to create-token.');
	if (!v.email) throw new UsageError('--email is required.');
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim()) || v.email.length > 254)
		throw new UsageError(`"${v.email}" is not a valid email address.`);
	const roles = v.role ?? [];
	const unknown = roles.find((r) => !isRole(r));
	if (unknown) throw new UsageError(`Unknown role "${unknown}". Roles: ${ROLES.join(', ')}.`);
	if (command === 'create-user' && !roles.length) throw new UsageError('create-user needs at least one --role.');
	if (command === 'set-roles' && !roles.length) throw new UsageError('set-roles needs at least one --role <role>.');
	if (command !== 'create-user' && (v.name || v.team || v.invite))
		throw new UsageError('--name, --team and --invite belong to create-user.');
	if (v.name !== undefined && (!v.name.trim() || v.name.length > 100)) throw new UsageError('--name must be 1 to 100 characters.');
	return { command, values: v };
}

const TOKEN_COMMANDS = ['create-token', 'revoke-token'];

function checkTokenArgs(command: string, v: Parsed['values']) {
	if (v.email || v.role || v.team || v.invite || v.none) throw new UsageError('--email, --role, --team, --invite and --none belong to the user commands.');
	if (v.region !== undefined || v['time-zone'] !== undefined) throw new UsageError('--region and --time-zone belong to the team commands.');
	if (v.name === undefined) throw new UsageError(`${command} needs --name <token name>.`);
	if (!v.name.trim() || v.name.trim().length > TOKEN_NAME_MAX) throw new UsageError(`--name must be 1 to ${TOKEN_NAME_MAX} characters.`);
	const scopes = v.scope ?? [];
	if (command === 'revoke-token' && scopes.length) throw new UsageError('--scope belongs to create-token.');
	if (command === 'create-token' && !scopes.length) throw new UsageError(`create-token needs at least one --scope (${API_SCOPES.join(', ')}).`);
	const unknown = scopes.find((s) => !isScope(s));
	if (unknown !== undefined) throw new UsageError(`Unknown scope "${unknown}". Scopes: ${API_SCOPES.join(', ')}.`);
}

const TEAM_COMMANDS = ['teams', 'create-team', 'update-team', 'archive-team', 'unarchive-team', 'add-member', 'remove-member', 'link-manager', 'unlink-manager'];
const PERSON_TEAM_COMMANDS = ['add-member', 'remove-member', 'link-manager', 'unlink-manager'];

const checkEmail = (email: string) => {
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) || email.length > 254) throw new UsageError(`"${email}" is not a valid email address.`);
};

function checkTeamArgs(command: string, v: Parsed['values']) {
	if (v.role || v.invite || v.none || v.scope) throw new UsageError('--role, --invite, --none and --scope do not belong to the team commands.');
	if (command === 'teams') {
		if (v.email || v.team || v.name !== undefined || v.region !== undefined || v['time-zone'] !== undefined) throw new UsageError('teams takes no options.');
		return;
	}
	if (command === 'create-team') {
		if (v.team || v.email) throw new UsageError('create-team takes --name, --region and --time-zone.');
		if (v.name === undefined || v.region === undefined) throw new UsageError('create-team needs --name <name> and --region <region>.');
		return;
	}
	if (v.team === undefined || !v.team.trim()) throw new UsageError(`${command} needs --team <team name>.`);
	if (PERSON_TEAM_COMMANDS.includes(command)) {
		if (v.name !== undefined || v.region !== undefined || v['time-zone'] !== undefined) throw new UsageError(`${command} takes --team and --email.`);
		if (!v.email) throw new UsageError(`${command} needs --email <email>.`);
		checkEmail(v.email);
		return;
	}
	if (v.email) throw new UsageError('--email belongs to the member and manager commands.');
	if (command === 'update-team' && v.name === undefined && v.region === undefined && v['time-zone'] === undefined)
		throw new UsageError('update-team needs --name, --region or --time-zone.');
	if (command !== 'update-team' && (v.name !== undefined || v.region !== undefined || v['time-zone'] !== undefined))
		throw new UsageError(`${command} takes only --team.`);
}

async function runTeamCommand(db: Db, command: string, v: Parsed['values'], io: CliIo): Promise<number> {
	if (command === 'teams') {
		const [list, orgZone] = await Promise.all([listTeamSummaries(db), organisationTimeZone(db)]);
		if (!list.length) io.out('No teams yet.');
		for (const t of list)
			io.out(
				`${t.name} (${t.region}) · ${t.timeZone ?? `${orgZone}, the organisation's`} · ${t.members} member${t.members === 1 ? '' : 's'}` +
					` · managers: ${t.managers.join(', ') || 'none'}${t.archivedAt ? ` · archived ${formatDate(t.archivedAt, CLI_LOCALE, orgZone)}` : ''}`
			);
		return 0;
	}
	if (command === 'create-team') {
		const created = await createTeam(db, { name: v.name!, region: v.region!, timeZone: v['time-zone'] ?? '' }, null);
		io.out(`Created team "${created.name}" (${created.region}), time zone ${created.timeZone ?? "the organisation's"}.`);
		return 0;
	}
	const found = await findTeamByName(db, v.team!);
	if (!found) throw new ServiceError(`No team is named "${v.team!.trim()}".`);
	if (command === 'update-team') {
		const draft = { name: v.name ?? found.name, region: v.region ?? found.region, timeZone: v['time-zone'] ?? found.timeZone ?? '' };
		const result = await updateTeam(db, found.id, draft, null);
		const after = await findTeamByName(db, draft.name);
		io.out(
			result.changed
				? `Team "${after!.name}" (${after!.region}), time zone ${after!.timeZone ?? "the organisation's"}.`
				: `Team "${found.name}" unchanged.`
		);
		return 0;
	}
	if (command === 'archive-team' || command === 'unarchive-team') {
		const archive = command === 'archive-team';
		const result = await setTeamArchived(db, found.id, archive, null);
		io.out(
			result.changed
				? archive
					? `Archived "${found.name}": it takes no new members, jobs or course assignments.`
					: `"${found.name}" is active again.`
				: `"${found.name}" was already ${archive ? 'archived' : 'active'}.`
		);
		return 0;
	}
	const email = v.email!.trim().toLowerCase();
	const person = await findUserByEmail(db, email);
	if (!person) throw new ServiceError(`No user has the email ${email}.`);
	if (command === 'add-member') {
		const result = await addMember(db, found.id, person.id, null);
		io.out(result.changed ? `${email} is now a member of "${found.name}".` : `${email} was already a member of "${found.name}".`);
	} else if (command === 'remove-member') {
		await removeMember(db, found.id, person.id, null);
		io.out(`${email} is no longer a member of "${found.name}".`);
	} else if (command === 'link-manager') {
		const result = await linkManager(db, found.id, person.id, null);
		io.out(result.changed ? `${email} now leads "${found.name}".` : `${email} already leads "${found.name}".`);
	} else {
		await unlinkManager(db, found.id, person.id, null);
		io.out(`${email} no longer leads "${found.name}".`);
	}
	return 0;
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
		if (TEAM_COMMANDS.includes(command)) return await runTeamCommand(db, command, v, io);
		const email = v.email!.trim().toLowerCase();
		const roles = (v.role ?? []) as Role[];
		if (command === 'create-user') {
			let teamId: string | null = null;
			if (v.team) {
				const row = await findTeamByName(db, v.team);
				if (!row) throw new ServiceError(`No team is named "${v.team}".`);
				teamId = row.id;
			}
			const displayName = v.name?.trim() || email.split('@')[0]!;
			if (v.invite) {
				const [invited, orgZone] = await Promise.all([inviteUser(db, { email, displayName, roles, teamId }, null), organisationTimeZone(db)]);
				io.out(`Created ${email} (${roles.join(', ')}).`);
				io.out(`One-time invitation link, valid until ${formatZonedDateTime(invited.expiresAt, CLI_LOCALE, orgZone)}:`);
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
			const result = await setRoles(db, target.id, roles, null);
			io.out(
				result.changed
					? `Roles of ${email}: ${result.before.join(', ') || 'none'} → ${result.after.join(', ')}.`
					: `Roles of ${email} unchanged: ${result.after.join(', ')}.`
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
