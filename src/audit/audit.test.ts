import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { auditVerify } from '../cli/audit-verify.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { dialects } from '../../test/harness.ts';
import { inTransaction } from '../store/database.ts';
import { bySystem, createAudit, rowHash, self, verifyChain } from './audit.ts';

describe.each(dialects)('audit chain on %s', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  async function seed(count: number) {
    db = await createTestDatabase(dialect);
    const clock = new ManualClock();
    const audit = createAudit(clock);
    for (let i = 0; i < count; i++) {
      clock.advance(1000);
      await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'test.event', ...self(`u${i}`), client: { ip: '127.0.0.1', userAgent: '' }, data: { i } }));
    }
    return { db, audit, clock };
  }

  it('links every event to the one before it, and verifies intact', async () => {
    const { db } = await seed(5);
    const rows = await db.store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyChain(db.store.db)).toEqual({ intact: true, rows: 5 });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toContain('intact');
  });

  it('finds a row changed by hand and names it (exit code 1)', async () => {
    const { db } = await seed(5);
    await db.store.db.updateTable('audit_events').set({ data: '{"i":99}' }).where('seq', '=', 3).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 3, reason: 'row 3 was changed' });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('row 3');
  });

  it('finds a removed row, and removed rows at the end', async () => {
    const { db } = await seed(5);
    await db.store.db.deleteFrom('audit_events').where('seq', '=', 2).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 2 });
    await db.drop();
    const again = await seed(4);
    await again.db.store.db.deleteFrom('audit_events').where('seq', '>=', 3).execute();
    expect(await verifyChain(again.db.store.db)).toMatchObject({ intact: false, firstBadSeq: 3 });
  });

  it('finds a row whose hash was recomputed to hide an edit (the next row no longer follows)', async () => {
    const { db } = await seed(3);
    const row = await db.store.db.selectFrom('audit_events').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const forged = { ...row, type: 'forged' };
    await db.store.db.updateTable('audit_events').set({ type: 'forged', hash: rowHash(row.prev_hash, forged) }).where('seq', '=', 2).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 3 });
  });

  it('never forks when many transactions record at once', async () => {
    const { db, audit } = await seed(0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'parallel', ...bySystem(null), data: { i } }))),
    );
    expect(await verifyChain(db.store.db)).toEqual({ intact: true, rows: 20 });
  });

  it('records nothing when the transaction rolls back', async () => {
    const { db, audit } = await seed(1);
    await expect(
      inTransaction(db.store.db, async (tx) => {
        await audit.record(tx, { type: 'doomed', ...bySystem(null) });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await verifyChain(db.store.db)).toEqual({ intact: true, rows: 1 });
  });

  it('records who acted apart from whose account it is, and the chain covers both', async () => {
    const { db, audit } = await seed(0);
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'staff.note', actor: { kind: 'staff', id: 'staff-1' }, subject: 'user-9', data: {} }));
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'account.locked', ...bySystem('user-9') }));
    const rows = await db.store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => [r.actor_kind, r.actor_id, r.user_id])).toEqual([
      ['staff', 'staff-1', 'user-9'],
      ['system', null, 'user-9'],
    ]);
    expect(await verifyChain(db.store.db)).toEqual({ intact: true, rows: 2 });
    await db.store.db.updateTable('audit_events').set({ actor_id: 'staff-2' }).where('seq', '=', 1).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 1, reason: 'row 1 was changed' });
    await db.store.db.updateTable('audit_events').set({ actor_id: 'staff-1' }).where('seq', '=', 1).execute();
    // Passing a row off as one from before actors were recorded breaks it too.
    await db.store.db.updateTable('audit_events').set({ actor_kind: null }).where('seq', '=', 2).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 2, reason: 'row 2 was changed' });
  });

  it('still verifies a chain written before actors were recorded, continued after', async () => {
    const { db, audit } = await seed(0);
    // Rows as the earlier code wrote them: no actor, hashed over seq, at, type, user, ip, user agent and data.
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const row = { seq, at: 1_700_000_000_000 + seq, type: 'login.succeeded', user_id: 'u1', ip: '127.0.0.1', user_agent: 'Old/1.0', data: '{}' };
      const hash = createHash('sha256').update(prev).update('\n').update(JSON.stringify([row.seq, row.at, row.type, row.user_id, row.ip, row.user_agent, row.data])).digest('hex');
      await db.store.db.insertInto('audit_events').values({ ...row, actor_kind: null, actor_id: null, prev_hash: prev, hash }).execute();
      prev = hash;
    }
    await db.store.db.updateTable('audit_head').set({ seq: 3, hash: prev }).where('id', '=', 1).execute();
    expect(await verifyChain(db.store.db)).toEqual({ intact: true, rows: 3 });
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'password.changed', ...self('u1'), data: {} }));
    expect(await verifyChain(db.store.db)).toEqual({ intact: true, rows: 4 });
    await db.store.db.updateTable('audit_events').set({ user_agent: 'Forged/1.0' }).where('seq', '=', 2).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 2 });
    await db.store.db.updateTable('audit_events').set({ user_agent: 'Old/1.0' }).where('seq', '=', 2).execute();
    // An actor written onto an older row is covered as well.
    await db.store.db.updateTable('audit_events').set({ actor_id: 'staff-1' }).where('seq', '=', 1).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 1, reason: 'row 1 was changed' });
  });

  it('refuses a row without an actor after rows that have one', async () => {
    const { db, audit } = await seed(0);
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'a', ...self('u1') }));
    // A row hashed the old way (no actor), appended by hand after recorded actors.
    const head = await db.store.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const row = { seq: 2, at: 1, type: 'b', user_id: 'u1', ip: null, user_agent: null, data: '{}', actor_kind: null, actor_id: null };
    const hash = rowHash(head.hash, row);
    await db.store.db.insertInto('audit_events').values({ ...row, prev_hash: head.hash, hash }).execute();
    await db.store.db.updateTable('audit_head').set({ seq: 2, hash }).where('id', '=', 1).execute();
    expect(await verifyChain(db.store.db)).toMatchObject({ intact: false, firstBadSeq: 2, reason: 'row 2 has no actor, though rows before it have' });
  });
});
