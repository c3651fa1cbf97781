/** Looks into a test app's database, for assertions. */
import type { TestApp } from './harness.ts';

export const userRow = (t: TestApp, email: string) => t.db.store.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();

/** Audit events of one type, oldest first. */
export const auditOf = (t: TestApp, type: string) => t.db.store.db.selectFrom('audit_events').selectAll().where('type', '=', type).orderBy('seq').execute();

/** An account's withdrawal holds, oldest first. */
export const holdsOf = (t: TestApp, userId: string) =>
  t.db.store.db.selectFrom('withdrawal_holds').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

/** A test app's database (Kysely). */
export const db = (t: TestApp) => t.db.store.db;
