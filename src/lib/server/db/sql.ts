import { sql } from 'drizzle-orm';
import { user, userRole } from './schema';
import type { Role } from '../auth/roles';

/** A user's roles as one array column, so a user list or a session check stays one query. */
export const userRolesSql = sql<Role[] | null>`(select array_agg(${userRole.role}::text order by ${userRole.role}) from ${userRole} where ${userRole.userId} = ${user.id})`;
