import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // An attempt reserved before its secret is checked was counted with the failures, so one whose
  // request died (a killed process) stayed counted until the next success. Reservations now have a
  // count of their own that lapses (throttle/throttle.ts RESERVATION_LEASE_MS); `attempts` counts
  // failures only. Rows written before keep their counts: a reservation among them is a failure.
  await db.schema.alterTable('lockouts').addColumn('in_flight', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('lockouts').addColumn('in_flight_until', 'bigint').execute();
}
