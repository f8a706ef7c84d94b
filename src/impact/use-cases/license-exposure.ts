// Issue 14, IMP-6 "who can bill us": every path by which someone outside an account can consume its
// licensing, each with the people behind it and their billable use of it over the last 90 days:
// associations (ID-5, LIC-1.4), data sources it is the licensing owner of (LIC-1.2: SUPPLY, or
// OWNER_PROVIDES users), outstanding reserved checkouts it issued (LIC-1.1), and the projects providing
// its licenses to other organizations (EXT-4/EXT-5).
import { and, asc, eq, gte, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Subject } from '../../authz/authorize.js';
import type { Reader } from '../../db/client.js';
import {
  associations,
  type DataSourceRow,
  dataSources,
  dataSourceUsers,
  licenseCheckoutProducts,
  licenseCheckouts,
  type ProjectRow,
  projects,
  providedLicenseFlags,
  providedLicenses,
  teamMembers,
  usageRecords,
  users,
} from '../../db/schema.js';
import { grantActive } from '../../identity/rules.js';
import { activeCheckoutAt } from '../../licensing/service.js';
import { linkedThroughDm } from '../../organizations/service.js';
import { ESTIMATE_DAYS } from '../rules/impact.js';
import { accessReport } from './access-report.js';

export const EXPOSURE_KINDS = ['ASSOCIATION', 'LICENSING_OWNER', 'RESERVED_CHECKOUT', 'PROVIDED_LICENSES'] as const;
export type ExposureKind = (typeof EXPOSURE_KINDS)[number];

/** One product's billable use by one person through one path. */
export interface ProductUse {
  product: string;
  uses: number;
}

export interface ExposedPerson {
  /** Null where the account's admins may not read who it is (LIC-3: another account's data-source users). */
  email: string | null;
  userId: string | null;
  use: ProductUse[];
}

export interface ExposureEntry {
  kind: ExposureKind;
  sortKey: string;
  detail: string;
  dataSource: DataSourceRow | null;
  project: ProjectRow | null;
  checkoutId: string | null;
  /** How many people the path is open to now. */
  peopleCount: number;
  people: ExposedPerson[];
}

type UseRow = {
  userId: string;
  licenseSource: string;
  dataSourceId: string | null;
  projectId: string | null;
  checkoutId: string | null;
  product: string;
  uses: number;
};

/** The account's recorded use over the window, by person and path. */
async function usesBilledTo(tx: Reader, accountId: string, now: Date): Promise<UseRow[]> {
  const from = new Date(now.getTime() - ESTIMATE_DAYS * 86_400_000);
  const rows = await tx
    .select({
      userId: usageRecords.userId,
      licenseSource: usageRecords.licenseSource,
      dataSourceId: usageRecords.dataSourceId,
      projectId: usageRecords.projectId,
      checkoutId: usageRecords.checkoutId,
      product: usageRecords.productCode,
    })
    .from(usageRecords)
    .where(and(eq(usageRecords.billedAccountId, accountId), gte(usageRecords.at, from), lte(usageRecords.at, now)));
  const counted = new Map<string, UseRow>();
  for (const r of rows) {
    const key = [r.userId, r.licenseSource, r.dataSourceId, r.projectId, r.checkoutId, r.product].join('\u0000');
    const row = counted.get(key);
    if (row) row.uses += 1;
    else counted.set(key, { ...r, uses: 1 });
  }
  return [...counted.values()];
}

function useOf(rows: readonly UseRow[], match: (r: UseRow) => boolean): ProductUse[] {
  const byProduct = new Map<string, number>();
  for (const r of rows) if (match(r)) byProduct.set(r.product, (byProduct.get(r.product) ?? 0) + r.uses);
  return [...byProduct].sort(([a], [b]) => a.localeCompare(b)).map(([product, uses]) => ({ product, uses }));
}

/** IMP-6: every path, by kind, then what it is about. */
export async function licenseExposure(
  tx: Reader,
  viewer: Subject,
  accountId: string,
  now: Date,
): Promise<ExposureEntry[]> {
  const used = await usesBilledTo(tx, accountId, now);
  const entries: ExposureEntry[] = [];

  // ID-5 / LIC-1.4: each associated external user may be billed to the account wherever they sign in —
  // while the association counts (HIS-4: an expired one bills no more).
  const associated = await tx
    .select({
      userId: associations.userId,
      email: users.email,
      createdAt: associations.createdAt,
      expiresAt: associations.expiresAt,
    })
    .from(associations)
    .innerJoin(users, eq(users.id, associations.userId))
    .where(eq(associations.accountId, accountId))
    .orderBy(asc(users.email));
  for (const a of associated.filter((row) => grantActive(row.expiresAt, now))) {
    entries.push({
      kind: 'ASSOCIATION',
      sortKey: a.email,
      detail: `${a.email} is associated with the account (ID-5): wherever they sign in without a license of their own, the account's entitlements pay (LIC-1.4).`,
      dataSource: null,
      project: null,
      checkoutId: null,
      peopleCount: 1,
      people: [
        {
          email: a.email,
          userId: a.userId,
          use: useOf(used, (r) => r.userId === a.userId && r.licenseSource === 'ASSOCIATED_ACCOUNT'),
        },
      ],
    });
  }

  // LIC-1.2: data sources it is the licensing owner of, where the owner supplies licenses.
  const owned = await tx
    .select()
    .from(dataSources)
    .where(eq(dataSources.licensingOwnerAccountId, accountId))
    .orderBy(asc(dataSources.nameKey));
  const ownerProvides = new Set(
    (
      await tx
        .selectDistinct({ id: dataSourceUsers.dataSourceId })
        .from(dataSourceUsers)
        .where(
          and(
            inArray(
              dataSourceUsers.dataSourceId,
              owned.map((d) => d.id),
            ),
            eq(dataSourceUsers.clientLicensing, 'OWNER_PROVIDES'),
          ),
        )
    ).map((r) => r.id),
  );
  for (const ds of owned) {
    if (ds.externalLicensing !== 'SUPPLY' && !ownerProvides.has(ds.id)) continue;
    // Who the owner would pay for now: the report's lines billed to the account through LIC-1.2.
    const paid = (
      await accessReport(tx, viewer, ds, { product: 'PW_EXPLORER', granted: true, billedAccountId: accountId }, now)
    ).filter((e) => e.decision.licenseSource === 'DATASOURCE_OWNER');
    // LIC-3: the licensing owner reads the data source, never its users — unless it owns it too.
    const namesPeople = ds.ownerAccountId === accountId;
    const people: ExposedPerson[] = paid
      .filter((e) => e.kind === 'DATA_SOURCE_USER')
      .map((e) => ({
        email: namesPeople ? e.user.email : null,
        userId: namesPeople ? e.user.id : null,
        use: useOf(
          used,
          (r) => r.userId === e.user.id && r.dataSourceId === ds.id && r.licenseSource === 'DATASOURCE_OWNER',
        ),
      }));
    const reasons = [
      ...(ds.externalLicensing === 'SUPPLY' ? ['it supplies licenses to external users (SUPPLY)'] : []),
      ...(ownerProvides.has(ds.id) ? ['some of its users are OWNER_PROVIDES'] : []),
    ];
    entries.push({
      kind: 'LICENSING_OWNER',
      sortKey: ds.nameKey,
      detail: `The account is the licensing owner of data source "${ds.name}", and ${reasons.join(' and ')}: those sign-ins are billed to it (LIC-1.2).`,
      dataSource: ds,
      project: null,
      checkoutId: null,
      peopleCount: paid.reduce((n, e) => n + e.people, 0),
      people,
    });
  }

  // LIC-1.1: outstanding reserved checkouts issued to people outside the account.
  const checkouts = await tx
    .select({ checkout: licenseCheckouts, homeAccountId: users.homeAccountId, userId: users.id })
    .from(licenseCheckouts)
    .leftJoin(users, eq(users.email, licenseCheckouts.email))
    .where(and(eq(licenseCheckouts.accountId, accountId), activeCheckoutAt(now)))
    .orderBy(asc(licenseCheckouts.email), asc(licenseCheckouts.machineName));
  const products = checkouts.length
    ? await tx
        .select()
        .from(licenseCheckoutProducts)
        .where(
          inArray(
            licenseCheckoutProducts.checkoutId,
            checkouts.map((c) => c.checkout.id),
          ),
        )
    : [];
  for (const { checkout, homeAccountId, userId } of checkouts) {
    if (homeAccountId === accountId) continue;
    const reserved = products
      .filter((p) => p.checkoutId === checkout.id)
      .map((p) => p.productCode)
      .sort();
    entries.push({
      kind: 'RESERVED_CHECKOUT',
      sortKey: `${checkout.email}\u0000${checkout.machineName}\u0000${checkout.id}`,
      detail: `A reserved checkout of ${reserved.join(', ')} for ${checkout.email} on ${checkout.machineName}, until ${checkout.expiresAt.toISOString()}: once imported there, those sign-ins are billed to the account (LIC-1.1).`,
      dataSource: null,
      project: null,
      checkoutId: checkout.id,
      peopleCount: 1,
      people: [
        {
          email: checkout.email,
          userId,
          use: useOf(used, (r) => r.checkoutId === checkout.id),
        },
      ],
    });
  }

  // EXT-4 / EXT-5: the account's projects providing its licenses to other organizations.
  const providing = await tx
    .select({ project: projects })
    .from(projects)
    .where(eq(projects.accountId, accountId))
    .orderBy(asc(projects.number));
  const listed = providing.length
    ? await tx
        .select()
        .from(providedLicenses)
        .where(
          inArray(
            providedLicenses.projectId,
            providing.map((p) => p.project.id),
          ),
        )
    : [];
  const flags = providing.length
    ? await tx
        .select()
        .from(providedLicenseFlags)
        .where(
          and(
            inArray(
              providedLicenseFlags.projectId,
              providing.map((p) => p.project.id),
            ),
            eq(providedLicenseFlags.unaffiliated, true),
          ),
        )
    : [];
  for (const { project } of providing) {
    const accountIds = new Set(listed.filter((l) => l.projectId === project.id).map((l) => l.accountId));
    const unaffiliated = flags.some((f) => f.projectId === project.id);
    if (accountIds.size === 0 && !unaffiliated) continue;
    const team = await tx
      .select({ userId: users.id, email: users.email, homeAccountId: users.homeAccountId })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.projectId, project.id), isNotNull(teamMembers.userId)))
      .orderBy(asc(users.email));
    const covered: typeof team = [];
    for (const member of team) {
      const home = member.homeAccountId;
      if (home === null ? unaffiliated : accountIds.has(home) && !(await linkedThroughDm(tx, project.id, home))) {
        covered.push(member);
      }
    }
    entries.push({
      kind: 'PROVIDED_LICENSES',
      sortKey: project.number,
      detail: `Project ${project.number} provides the account's licenses to ${[
        ...(accountIds.size > 0 ? [`${accountIds.size} other account(s)`] : []),
        ...(unaffiliated ? ['unaffiliated users'] : []),
      ].join(' and ')} (EXT-4): their team members' openings of the project are billed to it (EXT-5).`,
      dataSource: null,
      project,
      checkoutId: null,
      peopleCount: covered.length,
      people: covered.map((m) => ({
        email: m.email,
        userId: m.userId,
        use: useOf(
          used,
          (r) => r.userId === m.userId && r.projectId === project.id && r.licenseSource === 'PROJECT_PROVIDED',
        ),
      })),
    });
  }
  return entries;
}

const KIND_ORDER = new Map(EXPOSURE_KINDS.map((k, i) => [k, i]));

/** Sort keys of a line: its kind, then what it is about. */
export const exposureKey = (e: ExposureEntry): [number, string] => [KIND_ORDER.get(e.kind) ?? 0, e.sortKey];
