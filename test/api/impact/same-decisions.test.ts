// Issue 14: the reports and the impact of a dry run decide with decideMany, the batched form of the
// decision signInToDataSource and explainAccess make one at a time. On generated worlds (fast-check:
// accounts, members and unaffiliated people in two countries, entitlements that end, associations, data
// sources with every combination of settings, data-source users, a reserved license; associations and
// data-source users that have expired by the later instant, HIS-4), every question
// gets the same decision — granted, reason, license source, billed account and every step — both ways.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideMany } from '../../../src/access/use-cases/decisions.js';
import { explainAccess } from '../../../src/access/use-cases/sign-in.js';
import { loadSubject } from '../../../src/authz/authorize.js';
import { inTransaction } from '../../../src/db/client.js';
import {
  type AccountRow,
  associations,
  dataSourceUsers,
  installedLicenses,
  licenseCheckoutProducts,
  licenseCheckouts,
  type UserRow,
} from '../../../src/db/schema.js';
import { actingAs, createWorld, DEFAULT_NOW, type World } from '../../helpers/world.js';

const PRODUCTS = ['PW_EXPLORER', 'MICROSTATION'] as const;
/** HIS-4: grants that expire do so between DEFAULT_NOW and `later`. */
const EXPIRY = new Date('2026-09-01T00:00:00.000Z');
const COUNTRIES = ['US', 'DE'] as const;

const worldSpec = fc.record({
  people: fc.array(fc.record({ home: fc.constantFrom(0, 1, 2, null), country: fc.constantFrom(...COUNTRIES) }), {
    minLength: 2,
    maxLength: 6,
  }),
  entitlements: fc.uniqueArray(
    fc.record({
      account: fc.constantFrom(0, 1, 2),
      product: fc.constantFrom(...PRODUCTS),
      country: fc.constantFrom(...COUNTRIES),
    }),
    { maxLength: 6, selector: (e) => `${e.account}${e.product}${e.country}` },
  ),
  /** HIS-4: `expires` ends the association on 2026-09-01 (between now and `later`). */
  associations: fc.uniqueArray(
    fc.record({ account: fc.constantFrom(0, 1, 2), person: fc.nat(5), expires: fc.boolean() }),
    { maxLength: 5, selector: (a) => `${a.account}:${a.person}` },
  ),
  dataSources: fc.array(
    fc.record({
      owner: fc.constantFrom(0, 1),
      imsAuthEnabled: fc.boolean(),
      filter: fc.constantFrom(null, 0, 1, 2),
      licensingOwner: fc.constantFrom('none', 'owner', 'other'),
      allowExternalImsUsers: fc.boolean(),
      externalLicensing: fc.constantFrom('SUPPLY', 'DENY'),
      users: fc.uniqueArray(fc.record({ person: fc.nat(5), ownerProvides: fc.boolean(), expires: fc.boolean() }), {
        maxLength: 5,
        selector: (u) => u.person,
      }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  /** Decide after every contract has ended (the entitlements end on 2026-12-31). */
  later: fc.boolean(),
  /** Person 0 imports a reserved license of account 0 on WS-1. */
  reserved: fc.boolean(),
});

type Spec = typeof worldSpec extends fc.Arbitrary<infer T> ? T : never;

async function build(world: World, spec: Spec) {
  const names = ['Alpha Works', 'Beta Build', 'Gamma Group'];
  const admins: UserRow[] = [];
  const accounts: AccountRow[] = [];
  for (const [i, name] of names.entries()) {
    const admin = await world.user(`admin@${i}.example`, 'US');
    accounts.push(await world.account(name, [`${i}.example`], admin));
    admins.push(admin);
  }
  const people: UserRow[] = [];
  for (const [i, p] of spec.people.entries()) {
    const user = await world.user(`p${i}@${p.home ?? 'free'}.example`, p.country);
    people.push(p.home === null ? user : await world.member(accounts[p.home] as AccountRow, user));
  }
  for (const e of spec.entitlements) {
    await world.entitlement(
      accounts[e.account] as AccountRow,
      admins[e.account] as UserRow,
      e.product,
      e.country,
      '2026-12-31',
    );
  }
  for (const a of spec.associations) {
    const person = people[a.person];
    // ID-5: associations are of external users only.
    if (!person || person.homeAccountId === accounts[a.account]?.id) continue;
    const id = await world.associate(accounts[a.account] as AccountRow, person, admins[a.account] as UserRow);
    if (a.expires) {
      await inTransaction(world.db, async (tx) => {
        await tx.update(associations).set({ expiresAt: EXPIRY }).where(eq(associations.id, id));
      });
    }
  }
  const dataSourceIds: { id: string; owner: number }[] = [];
  for (const [i, d] of spec.dataSources.entries()) {
    const owner = accounts[d.owner] as AccountRow;
    const admin = admins[d.owner] as UserRow;
    const ds = await world.dataSource(owner, admin, `DS ${i}`, {
      imsAuthEnabled: d.imsAuthEnabled,
      dynamicCreationFilter: d.filter === null ? null : `Organization = "${names[d.filter]}"`,
      externalAccess: { allowExternalImsUsers: d.allowExternalImsUsers, externalLicensing: d.externalLicensing },
    });
    if (d.licensingOwner !== 'none') {
      await world.licensingOwner(ds, admin, d.licensingOwner === 'owner' ? owner : (accounts[2] as AccountRow));
    }
    for (const u of d.users) {
      const person = people[u.person];
      if (!person) continue;
      const dsUser = await world.dsUser(ds, admin, `user${u.person}`, {
        identity: person.email,
        clientLicensing: u.ownerProvides ? 'OWNER_PROVIDES' : 'OWN_ORGANIZATION',
      });
      if (u.expires) {
        await inTransaction(world.db, async (tx) => {
          await tx.update(dataSourceUsers).set({ expiresAt: EXPIRY }).where(eq(dataSourceUsers.id, dsUser.id));
        });
      }
    }
    dataSourceIds.push({ id: ds.id, owner: d.owner });
  }
  const reservedFor = people[0];
  if (spec.reserved && reservedFor) {
    // LIC-10: a verified import of account 0's checkout for PW_EXPLORER on WS-1 (rows as the use cases write them).
    await inTransaction(world.db, async (tx) => {
      await tx.insert(licenseCheckouts).values({
        id: 'checkout-1',
        accountId: (accounts[0] as AccountRow).id,
        email: reservedFor.email,
        machineName: 'WS-1',
        entitlementCountry: 'US',
        issuedAt: world.now,
        expiresAt: new Date('2026-09-01T00:00:00.000Z'),
        createdById: (admins[0] as UserRow).id,
      });
      await tx
        .insert(licenseCheckoutProducts)
        .values({ checkoutId: 'checkout-1', productCode: 'PW_EXPLORER', version: '1.0.0.0' });
      await tx.insert(installedLicenses).values({
        id: 'installed-1',
        userId: reservedFor.id,
        checkoutId: 'checkout-1',
        machineName: 'WS-1',
        importedAt: world.now,
      });
    });
  }
  return { admins, people, dataSourceIds };
}

describe('issue 14: decideMany answers as explainAccess does', () => {
  it('IMP-2 every (person, data source, product, machine) of generated worlds: the same decision and steps', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        const world = await createWorld();
        const { admins, people, dataSourceIds } = await build(world, spec);
        world.setNow(spec.later ? new Date('2027-02-01T00:00:00.000Z') : DEFAULT_NOW);
        for (const ds of dataSourceIds) {
          const admin = admins[ds.owner] as UserRow;
          const ctx = await actingAs(world, admin);
          const questions = people.flatMap((person) =>
            PRODUCTS.flatMap((product) =>
              ['WS-1', 'WS-2'].map((machineName) => ({ userId: person.id, dataSourceId: ds.id, product, machineName })),
            ),
          );
          const many = await decideMany(world.db, await loadSubject(world.db, admin), questions, world.now);
          expect(many).toHaveLength(questions.length);
          for (const [i, q] of questions.entries()) {
            const one = await explainAccess(ctx, { ...q, subjectReadable: true });
            expect(many[i]?.decision, JSON.stringify(q)).toEqual(one.decision);
          }
        }
      }),
      { numRuns: 25, seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
  }, 120_000);
});
