import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlnopad } from '@scure/base';
import { auditPublicKey, auditVerify } from '../cli/audit-verify.ts';
import { asDatabaseOwner, createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { dialects, TEST_AUDIT_KEY } from '../../test/harness.ts';
import { inTransaction, openStore } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { bySystem, createAudit, self, type Audit } from './audit.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';
import { auditKeys } from './chain-keys.ts';
import { checkpointDigest, readCheckpoint, signCheckpoint, type ChainedCheckpoint } from './checkpoint.ts';
import { SealRefused } from './seal.ts';
import { verifyChain } from './verify.ts';

const keys = auditKeys(TEST_AUDIT_KEY);
const otherKeys = auditKeys('someone-elses-audit-key-of-32-characters-or-more');

/** The checkpoint a text from the log names. */
function chained(text: string): ChainedCheckpoint {
  const read = readCheckpoint(keys, text);
  if (!read.ok || read.checkpoint.prev === undefined) throw new Error(`not a chained checkpoint: ${text}`);
  return read.checkpoint as ChainedCheckpoint;
}

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

  /** What whoever owns the tables can do: remove the chain's entries from a position on, with their events (and the checkpoints stored on them). */
  const removeTail = (test: TestDatabase, fromPosition: number) =>
    asDatabaseOwner(test.store, async () => {
      const gone = await test.store.db.selectFrom('audit_chain').select('seq').where('position', '>=', fromPosition).execute();
      await test.store.db.deleteFrom('audit_chain').where('position', '>=', fromPosition).execute();
      await test.store.db.deleteFrom('audit_events').where('seq', 'in', gone.map((g) => g.seq)).execute();
    });

  const logged = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown> & { level: number });
  const flags = async (test: TestDatabase) =>
    (await test.store.db.selectFrom('audit_chain').select(['position', 'seq', 'flag']).orderBy('position').execute()).map((c) => [Number(c.position), Number(c.seq), c.flag]);

  it('numbers events in the database, seals them into the keyed chain with a signed checkpoint in the log, and verifies intact', async () => {
    const logLines: string[] = [];
    const { db, audit } = await seed(5, logLines);
    const events = await db.store.db.selectFrom('audit_events').select('seq').orderBy('seq').execute();
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5]);
    // Before the seal they wait, and say so; nothing is broken.
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 0, pending: 5 });
    const checkpoint = await audit.seal();
    expect(checkpoint).toMatch(/^bcp2\.5\.[0-9a-f]{64}\.0{64}\.[A-Za-z0-9_-]+$/);
    expect(await audit.seal()).toBeNull();
    const logged = logLines.map((l) => JSON.parse(l) as { auditCheckpoint?: string; level: number }).filter((l) => l.auditCheckpoint);
    // At warn, so a log kept at LOG_LEVEL=warn still holds every checkpoint.
    expect(logged.map((l) => [l.auditCheckpoint, l.level])).toEqual([[checkpoint, 40]]);
    expect(await db.store.db.selectFrom('audit_pending').selectAll().execute()).toEqual([]);
    const chain = await db.store.db.selectFrom('audit_chain').selectAll().orderBy('position').execute();
    expect(chain.map((c) => [Number(c.position), Number(c.seq)])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    expect(readCheckpoint(keys, checkpoint!)).toEqual({ ok: true, checkpoint: { position: 5, hash: chain[4]!.hash, prev: GENESIS_HASH } });
    // The checkpoint is also kept on the batch's last entry: what the next seal is held to.
    expect(chain.map((c) => c.checkpoint)).toEqual([null, null, null, null, checkpoint]);
    expect(await verifyChain(db.store.db, keys, [{ position: 5, hash: chain[4]!.hash }])).toEqual({ intact: true, rows: 5, pending: 0 });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [checkpoint!], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['audit chain intact: 5 event(s) verified, reaching 1 checkpoint(s)']);
    // The public key alone checks a checkpoint: it can be published beside the logs.
    auditPublicKey(keys, (l) => lines.push(l));
    const published = lines.at(-1)!;
    expect(published).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    expect(readCheckpoint({ publicKey: base64urlnopad.decode(published.slice('ed25519:'.length)) }, checkpoint!)).toMatchObject({ ok: true });
  });

  it('refuses to change or remove an event or a chain entry, to any role but the tables\' owner', async () => {
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
    const remove = (fromPosition: number) => removeTail(db, fromPosition);
    // The last two events and their entries (with the checkpoint stored on entry 5) go: what is left is a well-formed shorter chain.
    await remove(4);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 3, pending: 0 });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [checkpoint], (l) => lines.push(l))).toBe(0);
    // The checkpoint at entry 3 still holds; one further on does not.
    const later = signCheckpoint(keys, { position: 5, hash: 'a'.repeat(64), prev: checkpointDigest(chained(checkpoint)) });
    expect(await auditVerify(db.store.db, keys, [later], (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toContain('the chain ends at entry 3, before the checkpoint\'s entry 5: entries were removed from its tail');
    // Removing one more is caught against the checkpoint from before.
    await remove(3);
    expect(await auditVerify(db.store.db, keys, [checkpoint], (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toContain('before the checkpoint\'s entry 3');
    // A checkpoint in the right shape but signed with another key, or altered, is refused.
    const forged = signCheckpoint(otherKeys, { position: 2, hash: 'b'.repeat(64), prev: GENESIS_HASH });
    expect(await auditVerify(db.store.db, keys, [forged], (l) => lines.push(l))).toBe(2);
    expect(lines.at(-1)).toBe("checkpoint refused: the checkpoint is not signed with this installation's AUDIT_KEY");
    expect(readCheckpoint(keys, checkpoint.replace('bcp2.3.', 'bcp2.2.'))).toMatchObject({ ok: false });
    expect(readCheckpoint(keys, 'nonsense')).toMatchObject({ ok: false, reason: expect.stringContaining('not a checkpoint') });
    // A checkpoint logged before they were chained (bcp1) still pins its entry.
    const hash = (await db.store.db.selectFrom('audit_chain').select('hash').where('position', '=', 2).executeTakeFirstOrThrow()).hash;
    const v1 = `bcp1.2.${hash}.${base64urlnopad.encode(ed25519.sign(new TextEncoder().encode(`bastion audit checkpoint v1\n2\n${hash}`), keys.signing))}`;
    expect(readCheckpoint(keys, v1)).toEqual({ ok: true, checkpoint: { position: 2, hash } });
    expect(await auditVerify(db.store.db, keys, [v1], (l) => lines.push(l))).toBe(0);
  });

  it('a chain rewritten with the key from some entry on no longer matches the checkpoint', async () => {
    const { db, audit } = await seed(3);
    const checkpoint = (await audit.seal())!;
    // Someone with the database and the key changes event 2, recomputes the chain and signs its checkpoint anew: only the log's checkpoint tells.
    await asDatabaseOwner(db.store, async () => {
      await db.store.db.updateTable('audit_events').set({ data: '{"i":"forged"}' }).where('seq', '=', 2).execute();
      const chain = await db.store.db.selectFrom('audit_chain').selectAll().orderBy('position').execute();
      let prev = chain[0]!.hash;
      for (const entry of chain.slice(1)) {
        const event = await db.store.db.selectFrom('audit_events').selectAll().where('seq', '=', entry.seq).executeTakeFirstOrThrow();
        prev = entryHash(keys.chain, prev, Number(entry.position), event);
        const resigned = entry.checkpoint === null ? null : signCheckpoint(keys, { position: Number(entry.position), hash: prev, prev: GENESIS_HASH });
        await db.store.db.updateTable('audit_chain').set({ hash: prev, checkpoint: resigned }).where('position', '=', entry.position).execute();
      }
    });
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: true });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [checkpoint], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('chain entry 3 differs from the checkpoint');
  });

  // H1: whoever can write to the database but lacks AUDIT_KEY cannot pass an event off as recorded by Bastion.
  it('an event added by a plain INSERT is sealed flagged as forged and logged at error, never as genuine, and verify reports it', async () => {
    const logLines: string[] = [];
    const { db, audit } = await seed(2, logLines);
    const forge = async (mac: string | null) => {
      const { seq } = await db.store.db
        .insertInto('audit_events')
        .values({ at: 1, type: 'staff.role_changed', user_id: 'u1', ip: null, user_agent: null, data: '{"to":"admin"}', actor_kind: 'system', actor_id: null })
        .returning('seq')
        .executeTakeFirstOrThrow();
      await db.store.db.insertInto('audit_pending').values({ seq: Number(seq), mac }).execute();
    };
    // A genuine event's MAC does not fit another event; a queue row without one is not taken.
    const genuine = await db.store.db.selectFrom('audit_pending').select('mac').where('seq', '=', 2).executeTakeFirstOrThrow();
    await forge(genuine.mac);
    await expect(forge(null)).rejects.toThrow(/mac/);
    await forge('f'.repeat(64));
    const waiting = await verifyChain(db.store.db, keys);
    expect(waiting).toMatchObject({ intact: false, firstBadSeq: 3, reason: 'event 3, waiting to be sealed, was not recorded by Bastion: its MAC is wrong (added to the database by hand)' });
    await audit.seal();
    // Event 4, whose queue row was refused, waits for nothing: it is sealed as taken out of the queue.
    expect(await flags(db)).toEqual([[1, 1, null], [2, 2, null], [3, 3, 'bad_mac'], [4, 4, 'dequeued'], [5, 5, 'bad_mac']]);
    expect(logged(logLines).filter((l) => l.level === 50).map((l) => l.flag)).toEqual(['bad_mac', 'dequeued', 'bad_mac']);
    expect(await verifyChain(db.store.db, keys)).toMatchObject({
      intact: false,
      firstBadSeq: 3,
      reason: 'event 3 (chain entry 3) was not recorded by Bastion: its MAC was wrong when it was sealed (added to the database by hand) (3 events flagged in all)',
    });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [], (l) => lines.push(l))).toBe(1);
    // The verdict is under the chain's HMAC: turning the entry into a genuine one breaks the chain there.
    await asDatabaseOwner(db.store, () => db.store.db.updateTable('audit_chain').set({ flag: null }).where('position', '=', 3).execute());
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 3, reason: 'event 3 (chain entry 3) was changed' });
  });

  // M1: the sealer signs only a head that extends the last checkpoint; checkpoints form one chain.
  it('will not sign a head whose tail was removed; a node started afresh that does is caught by the log\'s checkpoints', async () => {
    const logLines: string[] = [];
    const { db, audit, clock } = await seed(3, logLines);
    const first = (await audit.seal())!;
    await record(db, audit, clock, 2, 3);
    const second = (await audit.seal())!;
    expect(chained(second).prev).toBe(checkpointDigest(chained(first)));
    await removeTail(db, 4);
    await record(db, audit, clock, 1, 5);
    const refusal = 'not sealing: the chain ends at entry 3, before entry 5 this node signed: entries were removed from its tail';
    await expect(audit.seal()).rejects.toThrow(SealRefused);
    await expect(audit.seal()).rejects.toThrow(refusal);
    // Logged at error once (the server tries every half second), and nothing signed or sealed.
    expect(logged(logLines).filter((l) => l.level === 50).map((l) => l.reason)).toEqual([refusal.replace('not sealing: ', '')]);
    expect(logged(logLines).flatMap((l) => (l.auditCheckpoint ? [l.auditCheckpoint] : []))).toEqual([first, second]);
    expect(await db.store.db.selectFrom('audit_pending').select('seq').execute()).toHaveLength(1);

    // A node started afresh holds the chain to the checkpoint on its head (entry 3) and signs on from there...
    const restarted = createAudit({ clock, store: db.store, keys, log: pino({ level: 'silent' }) });
    const fork = (await restarted.seal())!;
    expect(chained(fork)).toMatchObject({ position: 4, prev: checkpointDigest(chained(first)) });
    // ...but two checkpoints in the log now follow the one on entry 3: verify refuses them, in any order.
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [first, second, fork], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('the signed checkpoints for chain entries 5 and 4 follow the same one: the sealer was made to sign two histories');
    // Every finding is reported: the tail the first history had is gone too.
    expect(lines.slice(1)).toEqual(['also: the chain ends at entry 4, before the checkpoint\'s entry 5: entries were removed from its tail']);
    lines.length = 0;
    expect(await auditVerify(db.store.db, keys, [fork, second], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('follow the same one');
  });

  it('will not sign over entries no checkpoint covers, or over a rewritten head', async () => {
    const { db, audit, clock } = await seed(3);
    await audit.seal();
    await record(db, audit, clock, 2, 3);
    await audit.seal();
    // Entry 5 goes, with the checkpoint stored on it: entry 4 is under none.
    await removeTail(db, 5);
    await record(db, audit, clock, 1, 5);
    const restarted = () => createAudit({ clock, store: db.store, keys, log: pino({ level: 'silent' }) });
    await expect(restarted().seal()).rejects.toThrow('chain entries after 3 up to 4 are under no checkpoint: they were not sealed here');
    await expect(audit.seal()).rejects.toThrow('before entry 5 this node signed');

    const other = await seed(2);
    await other.audit.seal();
    await asDatabaseOwner(other.db.store, () => other.db.store.db.updateTable('audit_chain').set({ hash: 'c'.repeat(64) }).where('position', '=', 2).execute());
    await record(other.db, other.audit, other.clock, 1, 2);
    await expect(other.audit.seal()).rejects.toThrow('chain entry 2 differs from the checkpoint this node signed: the chain was rewritten');
    const fresh = createAudit({ clock: other.clock, store: other.db.store, keys, log: pino({ level: 'silent' }) });
    await expect(fresh.seal()).rejects.toThrow('the checkpoint on chain entry 2 is not one this installation signed for it');
    await db.drop();
  });

  it('verify takes a whole log\'s checkpoints (200,000 of them)', async () => {
    const { db } = await seed(0);
    const many = Array.from({ length: 200_000 }, (_, i) => ({ position: i + 1, hash: GENESIS_HASH }));
    expect(await verifyChain(db.store.db, keys, many)).toMatchObject({ intact: false, reason: 'the chain ends at entry 0, before the checkpoint\'s entry 200000: entries were removed from its tail' });
  });

  it('verify refuses two checkpoints for one position and a checkpoint chain with one taken out; checkpoints are logged at warn', async () => {
    const warnings: string[] = [];
    const { db, clock } = await seed(3);
    const audit = createAudit({ clock, store: db.store, keys, log: pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) }) });
    const first = (await audit.seal())!;
    await record(db, audit, clock, 2, 3);
    const second = (await audit.seal())!;
    // LOG_LEVEL=warn keeps them.
    expect(logged(warnings).flatMap((l) => (l.auditCheckpoint ? [l.auditCheckpoint] : []))).toEqual([first, second]);
    const rival = signCheckpoint(keys, { ...chained(first), hash: 'b'.repeat(64) });
    const lines: string[] = [];
    // Whichever comes last, the two are refused (a map of one checkpoint per position kept only the last).
    for (const order of [[first, rival, second], [rival, first, second]]) {
      lines.length = 0;
      expect(await auditVerify(db.store.db, keys, order, (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toContain('two signed checkpoints for chain entry 3 differ: the sealer was made to sign two histories');
    }
    // The checkpoint stored on entry 3 taken out: the one on entry 5 follows none before it; the log's fills the gap.
    await asDatabaseOwner(db.store, () => db.store.db.updateTable('audit_chain').set({ checkpoint: null }).where('position', '=', 3).execute());
    expect(await verifyChain(db.store.db, keys)).toMatchObject({
      intact: false,
      firstBadSeq: 5,
      reason: 'the checkpoint on chain entry 5 does not follow the checkpoint before it, none (the first one): a checkpoint was removed, or the sealer was made to sign two histories',
    });
    expect(await verifyChain(db.store.db, keys, [chained(first)])).toEqual({ intact: true, rows: 5, pending: 0 });
  });

  // M2: the sealer's queue.
  it('never numbers two events alike, and an event cannot be removed while it waits', async () => {
    const { db, audit, clock } = await seed(3);
    await audit.seal();
    await removeTail(db, 3);
    await record(db, audit, clock, 1, 3);
    // SQLite's rowid would have numbered it 3 again (the seq of entry 3's event, still named in the log).
    expect((await db.store.db.selectFrom('audit_events').select('seq').orderBy('seq').execute()).map((e) => Number(e.seq))).toEqual([1, 2, 4]);
    await expect(asDatabaseOwner(db.store, () => db.store.db.deleteFrom('audit_events').where('seq', '=', 4).execute())).rejects.toThrow(/foreign key/i);
  });

  // M-4/M-5: an explicit seq cannot jam later writers or the sealer.
  it('an event inserted with a seq of its own choosing cannot make a later record() fail or jam the sealer', async () => {
    const { db, audit, clock } = await seed(2);
    const insertAt = (seq: bigint) => sql`insert into audit_events (seq, at, type, data) values (${String(seq)}, 0, 'forged', '{}')`.execute(db.store.db);
    if (dialect === 'postgres') {
      // Seqs just ahead of the sequence, and one past 2^53: each is numbered by the database instead.
      for (const seq of [3n, 4n, 2n ** 53n + 1n]) await insertAt(seq);
      const seqs = (await db.store.db.selectFrom('audit_events').select('seq').orderBy('seq').execute()).map((e) => Number(e.seq));
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
    } else {
      await expect(insertAt(9223372036854775807n)).rejects.toThrow(/audit_events.seq/);
      await expect(insertAt(2n ** 53n)).rejects.toThrow(/audit_events.seq/);
      await expect(insertAt(4n)).rejects.toThrow(/audit_events.seq/);
      // The next seq itself takes nothing from anyone.
      await insertAt(3n);
    }
    await record(db, audit, clock, 2, 2);
    await audit.seal();
    expect(await db.store.db.selectFrom('audit_pending').selectAll().execute()).toEqual([]);
    const chain = await flags(db);
    expect(chain.filter(([, , flag]) => flag === null).map(([, seq]) => seq)).toEqual(dialect === 'postgres' ? [1, 2, 6, 7] : [1, 2, 4, 5]);
  });

  it('migration 016 stops at an event whose seq is past 2^53, naming it', async () => {
    db = await createTestDatabase(dialect, { migrate: false });
    await migrateToLatest(db.store, { until: '015_terms_acceptance' });
    await sql`insert into audit_events (seq, at, type, data) values (${String(2n ** 53n + 1n)}, 0, 'forged', '{}')`.execute(db.store.db);
    await expect(migrateToLatest(db.store)).rejects.toThrow('audit_events holds seqs outside 1 … 2^53 − 1 (seq 9007199254740993)');
  });

  /** A queue row naming no event, written past the foreign key (PRAGMA foreign_keys off; a superuser's DISABLE TRIGGER ALL). */
  async function orphan(test: TestDatabase, seq: number) {
    const insert = () => test.store.db.insertInto('audit_pending').values({ seq, mac: 'f'.repeat(64) }).execute();
    if (dialect === 'sqlite') {
      await sql`pragma foreign_keys = off`.execute(test.store.db);
      await insert().finally(() => sql`pragma foreign_keys = on`.execute(test.store.db));
      return;
    }
    await sql`alter table audit_pending disable trigger all`.execute(test.store.db);
    await insert().finally(() => sql`alter table audit_pending enable trigger all`.execute(test.store.db));
  }

  it('a queue row whose event is gone is reported, then sealed flagged as missing; one for an event already sealed is reported and dropped', async () => {
    const logLines: string[] = [];
    const { db, audit } = await seed(2, logLines);
    await audit.seal();
    await orphan(db, 99);
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 99, reason: 'event 99 waits to be sealed but is gone: it was removed while it waited' });
    await audit.seal();
    expect((await flags(db)).at(-1)).toEqual([3, 99, 'missing']);
    expect(logged(logLines).filter((l) => l.level === 50).map((l) => [l.seq, l.flag])).toEqual([[99, 'missing']]);
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 99, reason: 'event 99 (chain entry 3) was removed while it waited to be sealed' });

    const other = await seed(1, logLines);
    await other.audit.seal();
    await other.db.store.db.insertInto('audit_pending').values({ seq: 1, mac: 'f'.repeat(64) }).execute();
    expect(await verifyChain(other.db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 1, reason: 'event 1 waits to be sealed but is in chain entry 1 already: a queue row written by hand' });
    await record(other.db, other.audit, other.clock, 1, 1);
    await other.audit.seal();
    expect(logged(logLines).filter((l) => l.level === 50).at(-1)).toMatchObject({ seqs: [1] });
    expect(await verifyChain(other.db.store.db, keys)).toEqual({ intact: true, rows: 2, pending: 0 });
    await db.drop();
  });

  // M3: on SQLite, REPLACE deletes the row it replaces without firing DELETE triggers; an upsert is an UPDATE on both.
  it('an upsert or a REPLACE cannot change an event or a chain entry', async () => {
    const { db, audit } = await seed(2);
    await audit.seal();
    const zero = '0'.repeat(64);
    const upsert = () => sql`insert into audit_events (seq, at, type, data) values (1, 0, 'forged', '{}') on conflict (seq) do update set type = excluded.type`.execute(db.store.db);
    await expect(sql`insert into audit_chain (position, seq, hash) values (1, 1, ${zero}) on conflict (position) do update set hash = excluded.hash`.execute(db.store.db)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') {
      // The database numbers every new event (016), so the upsert adds one instead: no conflict, event 1 unchanged.
      await upsert();
      expect((await db.store.db.selectFrom('audit_events').select('seq').where('type', '=', 'forged').execute()).map((e) => Number(e.seq))).toEqual([3]);
      expect((await db.store.db.selectFrom('audit_events').select('type').where('seq', '=', 1).executeTakeFirstOrThrow()).type).toBe('test.event');
      return;
    }
    await expect(upsert()).rejects.toThrow(/append-only/);
    await expect(sql`insert or replace into audit_events (seq, at, type, data) values (1, 0, 'forged', '{}')`.execute(db.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`replace into audit_chain (position, seq, hash) values (1, 1, ${zero})`.execute(db.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`insert or replace into audit_chain (position, seq, hash) values (9, 2, ${zero})`.execute(db.store.db)).rejects.toThrow(/append-only/);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 2, pending: 0 });
  });

  it('an upgraded database (016): events that waited without a MAC are sealed unchecked and counted; a queue row naming no event is named', async () => {
    const logLines: string[] = [];
    db = await createTestDatabase(dialect, { migrate: false });
    await migrateToLatest(db.store, { until: '015_terms_acceptance' });
    const before = db.store.db as any;
    await before.insertInto('audit_events').values({ at: 1000, type: 'old.event', user_id: null, ip: null, user_agent: null, data: '{}', actor_kind: 'system', actor_id: null }).execute();
    await before.insertInto('audit_pending').values([{ seq: 1 }, { seq: 7 }]).execute();
    if (dialect === 'sqlite') {
      // SQLite checks the new foreign key row by row: the migration stops and names the orphan.
      await expect(migrateToLatest(db.store)).rejects.toThrow('audit_pending names events that do not exist (seq 7)');
      await before.deleteFrom('audit_pending').where('seq', '=', 7).execute();
    }
    expect(await migrateToLatest(db.store)).toContain('016_audit_hardening');
    const audit = createAudit({ clock: new ManualClock(), store: db.store, keys, log: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }) });
    await audit.seal();
    if (dialect === 'sqlite') {
      expect(await flags(db)).toEqual([[1, 1, 'no_mac']]);
      expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 1, pending: 0, unverified: 1 });
      const lines: string[] = [];
      expect(await auditVerify(db.store.db, keys, [], (l) => lines.push(l))).toBe(0);
      expect(lines[0]).toContain('1 of them sealed without a MAC check (they waited from before migration 016)');
    } else {
      // PostgreSQL keeps the rows from before as they are (NOT VALID): the sealer names the orphan.
      expect(await flags(db)).toEqual([[1, 1, 'no_mac'], [2, 7, 'missing']]);
      expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 7, reason: 'event 7 (chain entry 2) was removed while it waited to be sealed' });
    }
    expect(logged(logLines).find((l) => l.flag === 'no_mac')).toMatchObject({ level: 40, seq: 1 });
  });

  /** What the tables' owner can do: write queue rows without a MAC past the check (dropped, then made again). */
  async function withoutMacCheck(test: TestDatabase, work: () => Promise<unknown>) {
    const run = (statement: string) => sql.raw(statement).execute(test.store.db);
    if (dialect === 'postgres') {
      await run('alter table audit_pending drop constraint audit_pending_mac_required');
      await work();
      await run('alter table audit_pending add constraint audit_pending_mac_required check (mac is not null) not valid');
      return;
    }
    await run('drop trigger audit_pending_mac_on_insert');
    await work();
    await run(`create trigger audit_pending_mac_on_insert before insert on audit_pending when new.mac is null begin select raise(abort, 'audit_pending.mac is required'); end`);
  }

  // H-1: only the events waiting when 016 ran may be sealed without a MAC.
  it('an event without a MAC recorded after migration 016 is sealed as forged, and verify counts a no_mac flag after it as forged', async () => {
    const logLines: string[] = [];
    db = await createTestDatabase(dialect, { migrate: false });
    await migrateToLatest(db.store, { until: '015_terms_acceptance' });
    const event = { at: 1000, type: 'old.event', user_id: null, ip: null, user_agent: null, data: '{}', actor_kind: 'system', actor_id: null } as const;
    await db.store.db.insertInto('audit_events').values(event).execute();
    await (db.store.db as any).insertInto('audit_pending').values({ seq: 1 }).execute();
    await migrateToLatest(db.store);
    expect((await db.store.db.selectFrom('audit_legacy').select('max_unmac_seq').execute()).map((r) => Number(r.max_unmac_seq))).toEqual([1]);
    await expect(db.store.db.updateTable('audit_legacy').set({ max_unmac_seq: 99 }).execute()).rejects.toThrow(/append-only/);
    await expect(db.store.db.insertInto('audit_legacy').values({ max_unmac_seq: 99 }).execute()).rejects.toThrow();
    const test = db;
    await withoutMacCheck(test, async () => {
      await test.store.db.insertInto('audit_events').values({ ...event, type: 'new.event' }).execute();
      await test.store.db.insertInto('audit_pending').values({ seq: 2, mac: null }).execute();
    });
    expect(await verifyChain(db.store.db, keys)).toMatchObject({ intact: false, firstBadSeq: 2, reason: 'event 2, waiting to be sealed, has no MAC though it was recorded after migration 016: added to the database by hand' });
    const audit = createAudit({ clock: new ManualClock(), store: db.store, keys, log: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }) });
    await audit.seal();
    expect(await flags(db)).toEqual([[1, 1, 'no_mac'], [2, 2, 'bad_mac']]);
    expect(logged(logLines).filter((l) => l.level === 50).map((l) => [l.seq, l.flag])).toEqual([[2, 'bad_mac']]);

    // A chain sealed before this rule (a no_mac flag on an event recorded after 016) is counted forged by verify.
    const other = await seed(0);
    await withoutMacCheck(other.db, async () => {
      await other.db.store.db.insertInto('audit_events').values({ ...event, type: 'new.event' }).execute();
      await other.db.store.db.insertInto('audit_pending').values({ seq: 1, mac: null }).execute();
    });
    const stored = await other.db.store.db.selectFrom('audit_events').selectAll().executeTakeFirstOrThrow();
    const hash = entryHash(keys.chain, GENESIS_HASH, 1, stored, 'no_mac');
    await other.db.store.db.insertInto('audit_chain').values({ position: 1, seq: 1, hash, flag: 'no_mac', checkpoint: signCheckpoint(keys, { position: 1, hash, prev: GENESIS_HASH }) }).execute();
    await other.db.store.db.deleteFrom('audit_pending').execute();
    expect(await verifyChain(other.db.store.db, keys)).toMatchObject({
      intact: false,
      firstBadSeq: 1,
      reason: 'event 1 (chain entry 1) was not recorded by Bastion: it was sealed without a MAC, though recorded after migration 016 (added to the database by hand)',
    });
    await test.drop();
  });

  it('a genuine event whose text the database gives back changed (a lone surrogate) keeps its MAC', async () => {
    const { db, audit } = await seed(0);
    await inTransaction(db.store.db, (tx) => audit.record(tx, { type: 'odd.client', ...bySystem(null), client: { ip: '127.0.0.1', userAgent: 'agent \ud800' }, data: { note: '\udfff' } }));
    await audit.seal();
    expect(await flags(db)).toEqual([[1, 1, null]]);
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 1, pending: 0 });
  });

  // M-2: the servers' role may delete from the sealer's queue; an event taken out is sealed all the same.
  it('an event taken out of the sealer\'s queue is sealed flagged as dequeued, logged at error and named by verify', async () => {
    const logLines: string[] = [];
    const { db, audit, clock } = await seed(3, logLines);
    await audit.seal();
    await record(db, audit, clock, 3, 3);
    await db.store.db.deleteFrom('audit_pending').where('seq', '=', 5).execute();
    await audit.seal();
    // With nothing else waiting too.
    await record(db, audit, clock, 1, 6);
    await db.store.db.deleteFrom('audit_pending').execute();
    await audit.seal();
    expect((await flags(db)).slice(3)).toEqual([[4, 4, null], [5, 5, 'dequeued'], [6, 6, null], [7, 7, 'dequeued']]);
    expect(logged(logLines).filter((l) => l.level === 50).map((l) => [l.seq, l.flag])).toEqual([[5, 'dequeued'], [7, 'dequeued']]);
    expect(await verifyChain(db.store.db, keys)).toMatchObject({
      intact: false,
      firstBadSeq: 5,
      reason: 'event 5 (chain entry 5) was taken out of the sealer\'s queue (deleted from audit_pending) before it was sealed (2 events flagged in all)',
    });
  });

  // M-3: every check runs; the first finding leads, the others follow.
  it('verify reports every finding, the first one first: a changed event, a forged one sealed, a forged queue row, an event not waiting', async () => {
    const { db, audit, clock } = await seed(3);
    await audit.seal();
    await asDatabaseOwner(db.store, () => db.store.db.updateTable('audit_events').set({ data: '{"i":99}' }).where('seq', '=', 2).execute());
    const forged = { at: 1, type: 'forged', user_id: null, ip: null, user_agent: null, data: '{}', actor_kind: 'system', actor_id: null } as const;
    await db.store.db.insertInto('audit_events').values(forged).execute();
    await db.store.db.insertInto('audit_pending').values({ seq: 4, mac: 'f'.repeat(64) }).execute();
    await audit.seal();
    await record(db, audit, clock, 1, 3);
    await db.store.db.updateTable('audit_pending').set({ mac: 'f'.repeat(64) }).where('seq', '=', 5).execute();
    await db.store.db.insertInto('audit_events').values(forged).execute();
    expect(await verifyChain(db.store.db, keys)).toEqual({
      intact: false,
      rows: 1,
      pending: 1,
      firstBadSeq: 2,
      reason: 'event 2 (chain entry 2) was changed',
      also: [
        { firstBadSeq: 4, reason: 'event 4 (chain entry 4) was not recorded by Bastion: its MAC was wrong when it was sealed (added to the database by hand)' },
        { firstBadSeq: 5, reason: 'event 5, waiting to be sealed, was not recorded by Bastion: its MAC is wrong (added to the database by hand)' },
        { firstBadSeq: 6, reason: 'event 6 is in no chain entry and not waiting for one' },
      ],
    });
    const lines: string[] = [];
    expect(await auditVerify(db.store.db, keys, [], (l) => lines.push(l))).toBe(1);
    expect(lines).toEqual([
      'audit chain BROKEN at event 2: event 2 (chain entry 2) was changed (1 event(s) verified before it); 1 event(s) waiting to be sealed',
      'also at event 4: event 4 (chain entry 4) was not recorded by Bastion: its MAC was wrong when it was sealed (added to the database by hand)',
      'also at event 5: event 5, waiting to be sealed, was not recorded by Bastion: its MAC is wrong (added to the database by hand)',
      'also at event 6: event 6 is in no chain entry and not waiting for one',
    ]);
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
    // The old events waited from before events had MACs: sealed unchecked, and verify says how many.
    expect(await verifyChain(db.store.db, keys)).toEqual({ intact: true, rows: 3, pending: 0, unverified: 2 });
  });

  // M3 on PostgreSQL: the triggers hold against every role but the tables' owner, so the servers run as another.
  if (dialect === 'postgres') {
    it('a servers\' role that does not own the tables records, seals and verifies, and can neither switch the triggers off nor change a row', async () => {
      const { db } = await seed(0);
      const role = `bastion_app_${randomBytes(6).toString('hex')}`;
      const owner = (statement: string) => sql.raw(statement).execute(db.store.db);
      await owner(`create role ${role} login`);
      try {
        await owner(`grant usage on schema ${db.schema} to ${role}`);
        await owner(`grant select on all tables in schema ${db.schema} to ${role}`);
        await owner(`grant insert on audit_events, audit_chain to ${role}`);
        await owner(`grant insert, delete on audit_pending to ${role}`);
        const url = new URL(db.url);
        url.username = role;
        const app = openStore(url.toString(), { schema: db.schema!, poolSize: 2 });
        try {
          // Migrated by the owner already: starting a node needs no DDL.
          expect(await migrateToLatest(app)).toEqual([]);
          const audit = createAudit({ clock: new ManualClock(), store: app, keys, log: pino({ level: 'silent' }) });
          await inTransaction(app.db, (tx) => audit.record(tx, { type: 'app.role', ...bySystem(null) }));
          expect(await audit.seal()).toMatch(/^bcp2\.1\./);
          expect(await verifyChain(app.db, keys)).toEqual({ intact: true, rows: 1, pending: 0 });
          await expect(sql`alter table audit_events disable trigger user`.execute(app.db)).rejects.toThrow(/must be owner/);
          await expect(app.db.updateTable('audit_events').set({ type: 'forged' }).execute()).rejects.toThrow(/permission denied/);
          await expect(app.db.deleteFrom('audit_chain').execute()).rejects.toThrow(/permission denied/);
        } finally {
          await app.close();
        }
      } finally {
        await owner(`drop owned by ${role}`);
        await owner(`drop role ${role}`);
      }
    });
  }

  // Only PostgreSQL runs writers side by side (SQLite has one writer at a time by design).
  if (dialect === 'postgres') {
    it('20 audited transactions that each stay open 50 ms run side by side, not one after another', async () => {
      const { db, audit } = await seed(0);
      const wide = db.reopen(20);
      try {
        // Open the pool's 20 connections first: what is measured is the transactions, not the connecting.
        await Promise.all(Array.from({ length: 20 }, () => inTransaction(wide.db, () => new Promise((resolve) => setTimeout(resolve, 20)))));
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
