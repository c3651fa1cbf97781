import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { auditVerify } from '../cli/audit-verify.ts';
import { asDatabaseOwner, createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { dialects, TEST_AUDIT_KEY } from '../../test/harness.ts';
import { inTransaction } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { bySystem, createAudit, self, type Audit } from './audit.ts';
import { entryHash } from './chain.ts';
import { auditKeys } from './chain-keys.ts';
import { readCheckpoint, signCheckpoint } from './checkpoint.ts';
import { verifyChain } from './verify.ts';

const keys = auditKeys(TEST_AUDIT_KEY);
const otherKeys = auditKeys('someone-elses-audit-key-of-32-characters-or-more');

describe.each(dialects)('audit chain on %s', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  async function seed(count: number, logLines: string[] = []) {
    db = await createTestDatabase(dialect);
    const clock = new ManualClock();
    const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    const audit = createAudit({ clock, store: db.store, keys, log });
    await record(db, audit, clock, count);
    return { db, audit, clock };
  }

  async function record(test: TestDatabase, audit: Audit, clock: ManualClock, count: number, from = 0) {
    for (let i = from; i < from + count; i++) {
      clock.advance(1000);
      await inTransaction(test.store.db, (tx) => audit.record(tx, { type: 'test.event', ...self(`u${i}`), client: { ip: '127.0.0.1', userAgent: '' }, data: { i } }));
    }
  }

  it('numbers events in the database, seals them into the keyed chain with a signed checkpoint in the log, and verifies intact', async () => {
    const logLines: string[] = [];
    const { db, audit } = await seed(5, logLines);
    const events = await db.store.db.selectFrom('audit_events').select('seq').orderBy('seq').execute();
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5]);
    // Before the seal they wait, and say so; nothing is broken.
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 0, pending: 5 });
    const checkpoint = await audit.seal();
    expect(checkpoint).toMatch(/^bcp1\.5\.[0-9a-f]{64}\.[A-Za-z0-9_-]+$/);
    expect(await audit.seal()).toBeNull();
    const logged = logLines.map((l) => JSON.parse(l) as { auditCheckpoint?: string }).filter((l) => l.auditCheckpoint);
    expect(logged.map((l) => l.auditCheckpoint)).toEqual([checkpoint]);
    expect(await db.store.db.selectFrom('audit_pending').selectAll().execute()).toEqual([]);
    const chain = await db.store.db.selectFrom('audit_chain').selectAll().orderBy('position').execute();
    expect(chain.map((c) => [Number(c.position), Number(c.seq)])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    expect(readCheckpoint(keys, checkpoint!)).toEqual({ ok: true, checkpoint: { position: 5, hash: chain[4]!.hash } });
    expect(await verifyChain(db.store.db, keys, [{ position: 5, hash: chain[4]!.hash }])).toEqual({ intact: true, rows: 5, pending: 0 });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [checkpoint!], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['audit chain intact: 5 event(s) verified, reaching 1 checkpoint(s)']);
  });

  it('refuses to change or remove an event or a chain entry, whoever asks', async () => {
    const { db, audit } = await seed(2);
    await audit.seal();
    await expect(db.store.db.updateTable('audit_events').set({ type: 'forged' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(db.store.db.deleteFrom('audit_events').where('seq', '=', 2).execute()).rejects.toThrow(/append-only/);
    await expect(db.store.db.updateTable('audit_chain').set({ hash: '0'.repeat(64) }).execute()).rejects.toThrow(/append-only/);
    await expect(db.store.db.deleteFrom('audit_chain').execute()).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(sql`truncate audit_events cascade`.execute(db.store.db)).rejects.toThrow(/append-only/);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 2, pending: 0 });
  });

  it('reports a changed event; re-chaining without the key is caught at the same place', async () => {
    const { db, audit } = await seed(5);
    await audit.seal();
    await asDatabaseOwner(db.store, () => db!.store.db.updateTable('audit_events').set({ data: '{"i":99}' }).where('seq', '=', 3).execute());
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, rows: 2, firstBadSeq: 3, reason: 'event 3 (chain entry 3) was changed' });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('BROKEN at event 3');

    // Whoever rewrites the chain from there without AUDIT_KEY (here: with a key of their own) is caught at the same place.
    await asDatabaseOwner(db.store, async () => {
      const chain = await db!.store.db.selectFrom('audit_chain').selectAll().orderBy('position').execute();
      let prev = chain[1]!.hash;
      for (const entry of chain.slice(2)) {
        const event = await db!.store.db.selectFrom('audit_events').selectAll().where('seq', '=', entry.seq).executeTakeFirstOrThrow();
        prev = entryHash(otherKeys.chain, prev, Number(entry.position), event);
        await db!.store.db.updateTable('audit_chain').set({ hash: prev }).where('position', '=', entry.position).execute();
      }
    });
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 3, reason: 'event 3 (chain entry 3) was changed' });
  });

  it('reports a removed event and a removed chain entry', async () => {
    const { db, audit } = await seed(4);
    await audit.seal();
    await asDatabaseOwner(db.store, () => db.store.db.deleteFrom('audit_events').where('seq', '=', 2).execute());
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, rows: 1, firstBadSeq: 2, reason: 'event 2 (chain entry 2) was removed' });
    await asDatabaseOwner(db.store, () => db.store.db.deleteFrom('audit_chain').where('position', '=', 2).execute());
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, rows: 1, firstBadSeq: null, reason: 'chain entry 2 is missing' });
  });

  it('catches a removed tail only against a checkpoint from the log, and refuses a checkpoint it did not sign', async () => {
    const { db, audit, clock } = await seed(3);
    const checkpoint = (await audit.seal())!;
    await record(db, audit, clock, 2, 3);
    await audit.seal();
    const remove = (fromPosition: number) =>
      asDatabaseOwner(db.store, async () => {
        const gone = await db.store.db.selectFrom('audit_chain').select('seq').where('position', '>=', fromPosition).execute();
        await db.store.db.deleteFrom('audit_chain').where('position', '>=', fromPosition).execute();
        await db.store.db.deleteFrom('audit_events').where('seq', 'in', gone.map((g) => g.seq)).execute();
      });
    // The last two events and their entries go: what is left is a well-formed shorter chain.
    await remove(4);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 3, pending: 0 });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [checkpoint], (l) => lines.push(l))).toBe(0);
    // The checkpoint at entry 3 still holds; one further on does not.
    const later = signCheckpoint(keys, { position: 5, hash: 'a'.repeat(64) });
    expect(await auditVerify(db.store.db, keys, [later], (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toContain('the chain ends at entry 3, before the checkpoint\'s entry 5: entries were removed from its tail');
    // Removing one more is caught against the checkpoint from before.
    await remove(3);
    expect(await auditVerify(db.store.db, keys, [checkpoint], (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toContain('before the checkpoint\'s entry 3');
    // A checkpoint in the right shape but signed with another key, or altered, is refused.
    const forged = signCheckpoint(otherKeys, { position: 2, hash: 'b'.repeat(64) });
    expect(await auditVerify(db.store.db, keys, [forged], (l) => lines.push(l))).toBe(2);
    expect(lines.at(-1)).toBe("checkpoint refused: the checkpoint is not signed with this installation's AUDIT_KEY");
    expect(readCheckpoint(keys, checkpoint.replace('bcp1.3.', 'bcp1.2.'))).toMatchObject({ ok: false });
    expect(readCheckpoint(keys, 'nonsense')).toMatchObject({ ok: false, reason: expect.stringContaining('not a checkpoint') });
  });

  it('a chain rewritten with the key from some entry on no longer matches the checkpoint', async () => {
    const { db, audit } = await seed(3);
    const checkpoint = (await audit.seal())!;
    // Someone with the database and the key changes event 2 and recomputes the chain: only the checkpoint tells.
    await asDatabaseOwner(db.store, async () => {
      await db.store.db.updateTable('audit_events').set({ data: '{"i":"forged"}' }).where('seq', '=', 2).execute();
      const chain = await db.store.db.selectFrom('audit_chain').selectAll().orderBy('position').execute();
      let prev = chain[0]!.hash;
      for (const entry of chain.slice(1)) {
        const event = await db.store.db.selectFrom('audit_events').selectAll().where('seq', '=', entry.seq).executeTakeFirstOrThrow();
        prev = entryHash(keys.chain, prev, Number(entry.position), event);
        await db.store.db.updateTable('audit_chain').set({ hash: prev }).where('position', '=', entry.position).execute();
      }
    });
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: true });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [checkpoint], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('chain entry 3 differs from the checkpoint');
  });

  it('reports an event that is in no entry and no longer waiting for one', async () => {
    const { db } = await seed(2);
    await db.store.db.deleteFrom('audit_pending').where('seq', '=', 2).execute();
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 2, reason: 'event 2 is in no chain entry and not waiting for one' });
  });

  it('seals everything once when writers and several sealers run at once', async () => {
    const { db, audit, clock } = await seed(0);
    // Several nodes share one database on PostgreSQL; SQLite serves one node, here with two sealers.
    const second = dialect === 'postgres' ? db.reopen() : db.store;
    const otherNode = createAudit({ clock, store: second, keys, log: pino({ level: 'silent' }) });
    try {
      const writers = Array.from({ length: 30 }, (_, i) =>
        inTransaction((i % 2 ? second : db.store).db, (tx) => (i % 2 ? otherNode : audit).record(tx, { type: 'parallel', ...bySystem(null), data: { i } })),
      );
      const sealers = Array.from({ length: 6 }, (_, i) => (i % 2 ? otherNode : audit).seal());
      await Promise.all([...writers, ...sealers]);
      await audit.seal();
      expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 30, pending: 0 });
    } finally {
      if (second !== db.store) await second.close();
    }
  });

  it('records nothing when the transaction rolls back', async () => {
    const { db, audit } = await seed(1);
    await expect(
      inTransaction(db.store.db, async (tx) => {
        await audit.record(tx, { type: 'doomed', ...bySystem(null) });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await audit.seal();
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 1, pending: 0 });
    expect(await db.store.db.selectFrom('audit_events').select('type').execute()).toEqual([{ type: 'test.event' }]);
  });

  it('records who acted apart from whose account it is, and the chain covers both', async () => {
    const { db, audit } = await seed(0);
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'staff.note', actor: { kind: 'staff', id: 'staff-1' }, subject: 'user-9', data: {} }));
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'account.locked', ...bySystem('user-9') }));
    await audit.seal();
    const rows = await db.store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => [r.actor_kind, r.actor_id, r.user_id])).toEqual([
      ['staff', 'staff-1', 'user-9'],
      ['system', null, 'user-9'],
    ]);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 2, pending: 0 });
    const change = (seq: number, values: { actor_id?: string; actor_kind?: null }) =>
      asDatabaseOwner(db.store, () => db.store.db.updateTable('audit_events').set(values).where('seq', '=', seq).execute());
    await change(1, { actor_id: 'staff-2' });
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 1, reason: 'event 1 (chain entry 1) was changed' });
    await change(1, { actor_id: 'staff-1' });
    // Passing an event off as one from before actors were recorded breaks it too.
    await change(2, { actor_kind: null });
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 2, reason: 'event 2 (chain entry 2) was changed' });
  });

  it('an upgraded database: the events of the old unkeyed chain are sealed into the keyed one, in order', async () => {
    db = await createTestDatabase(dialect, { migrate: false });
    await migrateToLatest(db.store, { until: '013_lockout_reservations' });
    const legacy = (seq: number, actor: boolean) => ({
      seq,
      at: 1000 * seq,
      type: 'old.event',
      user_id: 'u1',
      ip: null,
      user_agent: null,
      data: '{}',
      prev_hash: 'x'.repeat(64),
      hash: 'y'.repeat(64),
      actor_kind: actor ? 'system' : null,
      actor_id: null,
    });
    await (db.store.db as any).insertInto('audit_events').values([legacy(1, false), legacy(2, true)]).execute();
    expect(await migrateToLatest(db.store)).toContain('014_audit_chain');
    const clock = new ManualClock();
    const audit = createAudit({ clock, store: db.store, keys, log: pino({ level: 'silent' }) });
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'new.event', ...bySystem(null) }));
    await audit.seal();
    const chain = await db.store.db.selectFrom('audit_chain').select(['position', 'seq']).orderBy('position').execute();
    expect(chain.map((c) => [Number(c.position), Number(c.seq)])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 3, pending: 0 });
  });

  // Only PostgreSQL runs writers side by side (SQLite has one writer at a time by design).
  if (dialect === 'postgres') {
    it('20 audited transactions that each stay open 50 ms run side by side, not one after another', async () => {
      const { db, audit } = await seed(0);
      const wide = db.reopen(20);
      try {
        const started = performance.now();
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            inTransaction(wide.db, async (tx) => {
              await audit.record(tx, { type: 'held', ...bySystem(null), data: { i } });
              await new Promise((resolve) => setTimeout(resolve, 50));
            }),
          ),
        );
        const elapsed = performance.now() - started;
        // One after another it would take at least 20 × 50 = 1,000 ms.
        expect(elapsed).toBeLessThan(500);
      } finally {
        await wide.close();
      }
      await audit.seal();
      expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 20, pending: 0 });
    });
  }
});
