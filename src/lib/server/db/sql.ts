import { sql } from 'drizzle-orm';
import type { Role } from '../auth/roles';

/**
 * A user's roles as one array column, so a user list or a session check stays one query. The
 * names are written out: drizzle leaves columns unqualified in single-table queries, and a
 * correlated subquery must say which table it means.
 */
export const userRolesSql = sql<Role[] | null>`(select array_agg(ur.role::text order by ur.role) from "user_role" ur where ur.user_id = "user"."id")`;
