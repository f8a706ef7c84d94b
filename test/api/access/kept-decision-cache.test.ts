// HIS-1: kept decisions are parsed once and kept in a process-wide LRU (5,000) — a page must get every
// decision it names even when reading new ones evicts entries it had found there (a review found one lost).
import { describe, expect, it } from 'vitest';
import { keepDecision } from '../../../src/access/rules/kept-decision.js';
import { inTransaction } from '../../../src/db/client.js';
import { type DataSourceRow, usageDecisions, usageRecords } from '../../../src/db/schema.js';
import { expectSuccess, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier } from '../../helpers/world.js';

const DAVE = 'dave@northwind.example';
const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2027-01-01T00:00:00.000Z';

describe('HIS-1 kept decisions cached across requests', () => {
  it('HIS-1 the parsed-decision cache (5,000) never loses a decision a page needs, across evictions', async () => {
    const world = await createWorld();
    const cast = await hostAndSupplier(world);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    const projects: DataSourceRow = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "Northwind Surveying"',
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
    });
    const { payload, result } = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', projects.id), machineName: 'WS-1' },
      DAVE,
      'decision { granted }',
    );
    expectSuccess(payload, result);
    const [row] = await world.db.select().from(usageRecords);
    if (!row) throw new Error('no record');
    const { id: _id, ...template } = row;
    const kept = (i: number | string) => keepDecision([{ rule: 'R', outcome: 'PASSED', detail: `d${i}` }], {});
    await inTransaction(world.db, async (tx) => {
      for (let i = 0; i < 5000; i += 500) {
        const ds = Array.from({ length: 500 }, (_, j) => kept(i + j));
        await tx.insert(usageDecisions).values(ds);
        await tx.insert(usageRecords).values(
          ds.map((d, j) => ({
            ...template,
            at: new Date(Date.parse('2026-08-01T00:00:00.000Z') + (i + j) * 1000),
            decisionId: d.id,
          })),
        );
      }
    });
    // One full export fills the process-wide LRU (max 5000): d0 is now its least recently used entry.
    const csv = await world.fetch(
      `/exports/usage-records.csv?${new URLSearchParams({ accountId: gid('Account', cast.supplier.id), from: FROM, to: TO })}`,
      { headers: { authorization: `Bearer ${await world.token(DAVE)}` } },
    );
    expect(csv.status).toBe(200);
    await csv.text();
    // A new decision recorded before d0's record.
    const x = kept('X');
    await inTransaction(world.db, async (tx) => {
      await tx.insert(usageDecisions).values(x);
      await tx.insert(usageRecords).values({ ...template, at: new Date('2026-07-01T00:00:00.000Z'), decisionId: x.id });
    });
    const page = await world.gql(
      `query($id: ID!) { account(id: $id) { usage(from: "${FROM}", to: "${TO}") { records(first: 3) { edges { node { at explanation { detail } } } } } } }`,
      { id: gid('Account', cast.supplier.id) },
      DAVE,
    );
    expect(page.errors).toBeUndefined();
    const details = page.data?.account.usage.records.edges.map((e: any) => e.node.explanation[0].detail);
    // Oldest first: Dave's own sign-in (2026-06-15), X (07-01), then d0 (08-01) — found though evicted.
    expect(details).toEqual([expect.stringContaining('IMS authentication'), 'dX', 'd0']);
  }, 120_000);
});
