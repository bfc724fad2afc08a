import type { Db } from './index';

/** A database or an open transaction: services accept either so callers can compose them. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];
