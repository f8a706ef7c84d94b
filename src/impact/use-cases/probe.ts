// Issue 14: the impact probe src/graphql/dry-run.ts calls — what a change concerns (scope.ts), the
// decisions of everyone concerned measured in a state (IMP-2), and the difference (IMP-2, IMP-3).
// Every decision comes from decideMany, the batched form of the decision sign-in makes.
import { and, gte, inArray, lte } from 'drizzle-orm';
import { type AccessQuestion, decideMany } from '../../access/use-cases/decisions.js';
import { authorize, type Subject } from '../../authz/authorize.js';
import type { Reader, Tx } from '../../db/client.js';
import { readIn } from '../../db/query.js';
import { type DataSourceRow, dataSources, type ProjectRow, usageRecords } from '../../db/schema.js';
import type { Context } from '../../graphql/context.js';
import type { ImpactProbe } from '../../graphql/dry-run.js';
import type { ProjectAccessDecision } from '../../organizations/rules/project-access.js';
import { decideProjectAccessMany } from '../../organizations/service.js';
import type { RoleRef } from '../../projects/rules/roles.js';
import {
  type AccessChange,
  type AccessChangeKind,
  accessChanges,
  type BillableUsersChange,
  billableUsersChanges,
  changeKind,
  ESTIMATE_DAYS,
  type Measured,
  type RecordedUse,
  type TeamChangeKind,
  teamChangeKind,
} from '../rules/impact.js';
import { candidates, type ImpactScope, named, pairKey } from './scope.js';
import { measureProjects, type ProjectState, readsTeamRow, type TeamSide, teamSide } from './team.js';

/** The product a sign-in uses unless it names one (§3): every person is measured with it. */
const DEFAULT_PRODUCT = 'PW_EXPLORER';

export interface ImpactMeasure {
  access: Map<string, Measured>;
  /** Each recorded use of a pair in scope, re-decided: the account it would bill (null: denied). */
  redecided: Map<string, string | null>;
  uses: RecordedUse[];
  projects: Map<string, ProjectState>;
  /** EXT-5: opening each concerned project, per team member and product. */
  projectAccess: Map<string, MeasuredOpening>;
}

export interface MeasuredOpening {
  userId: string;
  email: string;
  projectId: string;
  product: string;
  decision: ProjectAccessDecision;
}

export interface ProjectAccessChange {
  /** §9: the caller reads the project's team, so who the person is; else the GraphQL layer asks. */
  identifiable: boolean;
  kind: AccessChangeKind;
  project: ProjectRow;
  userId: string;
  email: string;
  product: string;
  before: ProjectAccessDecision;
  after: ProjectAccessDecision;
}

export interface TeamChange {
  kind: TeamChangeKind;
  project: ProjectRow;
  userId: string;
  email: string;
  before: TeamSide;
  after: TeamSide;
}

export interface ChangeImpactShape {
  access: (AccessChange & { dataSource: DataSourceRow; identifiable: boolean })[];
  team: TeamChange[];
  projectAccess: ProjectAccessChange[];
  billableUsers: BillableUsersChange[];
  estimateDays: number;
}

const useKey = (u: Pick<RecordedUse, 'userId' | 'dataSourceId' | 'projectId' | 'product' | 'machineName'>) =>
  `${u.userId}\u0000${u.dataSourceId}\u0000${u.projectId}\u0000${u.product}\u0000${u.machineName}`;
const openingKey = (projectId: string, userId: string, product: string) =>
  `${projectId}\u0000${userId}\u0000${product}`;

/** The uses recorded in the estimate's window (IMP-3) by `userIds`, or billed to `accountIds`. */
async function recordedUses(
  tx: Reader,
  now: Date,
  by: { userIds?: Iterable<string>; accountIds?: Iterable<string> },
): Promise<RecordedUse[]> {
  const from = new Date(now.getTime() - ESTIMATE_DAYS * 24 * 60 * 60 * 1000);
  const inWindow = and(gte(usageRecords.at, from), lte(usageRecords.at, now));
  const columns = {
    userId: usageRecords.userId,
    dataSourceId: usageRecords.dataSourceId,
    projectId: usageRecords.projectId,
    product: usageRecords.productCode,
    machineName: usageRecords.machineName,
    billedAccountId: usageRecords.billedAccountId,
  };
  const rows = [
    ...(await readIn(by.userIds ?? [], (some) =>
      tx
        .selectDistinct(columns)
        .from(usageRecords)
        .where(and(inWindow, inArray(usageRecords.userId, some))),
    )),
    ...(await readIn(by.accountIds ?? [], (some) =>
      tx
        .selectDistinct(columns)
        .from(usageRecords)
        .where(and(inWindow, inArray(usageRecords.billedAccountId, some))),
    )),
  ];
  const unique = new Map(rows.map((r) => [`${useKey(r)}\u0000${r.billedAccountId}`, r]));
  return [...unique.values()];
}

async function measure(tx: Tx, ctx: Context, scope: ImpactScope): Promise<ImpactMeasure> {
  const pairs = [...scope.pairs.values()];
  const projectPeople = [...scope.projectPeople.values()].flatMap((people) => [...people]);
  const recorded = await recordedUses(tx, ctx.now, { userIds: [...pairs.map((p) => p.userId), ...projectPeople] });
  const uses = recorded.filter((u) => u.dataSourceId !== null && scope.pairs.has(pairKey(u.userId, u.dataSourceId)));
  const openings = recorded.filter(
    (u) => u.projectId !== null && (scope.projectPeople.get(u.projectId)?.has(u.userId) ?? false),
  );
  const productsOf = new Map<string, Set<string>>();
  for (const u of uses) {
    const key = pairKey(u.userId, u.dataSourceId as string);
    productsOf.set(key, (productsOf.get(key) ?? new Set()).add(u.product));
  }
  const questions: AccessQuestion[] = [];
  for (const [key, pair] of scope.pairs) {
    for (const product of new Set([DEFAULT_PRODUCT, ...(productsOf.get(key) ?? [])])) {
      questions.push({ ...pair, product, machineName: null });
    }
  }
  const useQuestions = new Map<string, AccessQuestion>();
  for (const u of uses) {
    useQuestions.set(useKey(u), {
      userId: u.userId,
      dataSourceId: u.dataSourceId as string,
      product: u.product,
      machineName: u.machineName,
    });
  }
  const answers = await decideMany(tx, ctx.subject(), [...questions, ...useQuestions.values()], ctx.now);
  const access = new Map<string, Measured>();
  const redecided = new Map<string, string | null>();
  for (const a of answers) {
    if (a.machineName === null) {
      const key = `${pairKey(a.userId, a.dataSourceId)}\u0000${a.product}`;
      access.set(key, {
        key,
        userId: a.userId,
        email: a.user.email,
        dataSourceId: a.dataSourceId,
        product: a.product,
        decision: a.decision,
      });
    } else {
      redecided.set(
        useKey({ ...a, projectId: null }),
        a.decision.granted ? (a.decision.billedAccount?.id ?? null) : null,
      );
    }
  }
  const viewer = ctx.viewer;
  if (!viewer) throw new Error('impact: a dry run has a registered viewer');
  const projects = await measureProjects(tx, viewer, ctx.subject(), scope.projectIds);
  const projectAccess = new Map<string, MeasuredOpening>();
  for (const [projectId, people] of scope.projectPeople) {
    const project = projects.get(projectId)?.project;
    // EXT-5: there is nothing to open before Deliverables Management is enabled (PRJ-2).
    if (!project || project.deliverablesEnabledAt === null) continue;
    const products = new Map<string, Set<string>>();
    for (const u of openings) {
      if (u.projectId === projectId) products.set(u.userId, (products.get(u.userId) ?? new Set()).add(u.product));
    }
    const questions = [...people].flatMap((userId) =>
      [...new Set([DEFAULT_PRODUCT, ...(products.get(userId) ?? [])])].map((product) => ({ userId, product })),
    );
    for (const a of await decideProjectAccessMany(tx, project, questions, ctx.now)) {
      const key = openingKey(projectId, a.userId, a.product);
      projectAccess.set(key, {
        userId: a.userId,
        email: a.user.email,
        projectId,
        product: a.product,
        decision: a.decision,
      });
    }
  }
  for (const u of openings) {
    const opened = projectAccess.get(openingKey(u.projectId as string, u.userId, u.product));
    if (opened) redecided.set(useKey(u), opened.decision.granted ? (opened.decision.billedAccount?.id ?? null) : null);
  }
  return {
    access,
    redecided,
    uses: [...uses, ...openings.filter((u) => redecided.has(useKey(u)))],
    projects,
    projectAccess,
  };
}

/** IMP-2 for projects: who gains or loses the opening of a concerned project (EXT-5), or whose bill moves. */
function projectAccessChanges(
  subject: Subject,
  readsBill: (accountId: string | null | undefined) => boolean,
  before: ImpactMeasure,
  after: ImpactMeasure,
): ProjectAccessChange[] {
  const changes: ProjectAccessChange[] = [];
  for (const [key, was] of before.projectAccess) {
    const now = after.projectAccess.get(key);
    const state = before.projects.get(was.projectId);
    if (!now || !state) continue;
    const kind = changeKind(was.decision, now.decision);
    if (kind === null) continue;
    const readsTeam = readsTeamRow(subject, state, was.userId);
    if (!readsTeam && !readsBill(was.decision.billedAccount?.id) && !readsBill(now.decision.billedAccount?.id)) {
      continue;
    }
    changes.push({
      identifiable: readsTeam,
      kind,
      project: state.project,
      userId: was.userId,
      email: now.email,
      product: was.product,
      before: was.decision,
      after: now.decision,
    });
  }
  return changes.sort(
    (x, y) =>
      x.project.number.localeCompare(y.project.number) ||
      x.email.localeCompare(y.email) ||
      x.product.localeCompare(y.product),
  );
}

const roleKey = (role: RoleRef) => (role.kind === 'BUILT_IN' ? role.key : role.id);
const place = (side: TeamSide) => ({
  member: side.member,
  roleKeys: side.roles.map(roleKey),
  dmPermissions: side.dmPermissions,
});

/** IMP-4: every person whose place in a concerned project's team changes, for those who may read it. */
function teamChanges(subject: Subject, before: ImpactMeasure, after: ImpactMeasure): TeamChange[] {
  const changes: TeamChange[] = [];
  for (const [projectId, was] of before.projects) {
    const now = after.projects.get(projectId);
    if (!now) continue;
    for (const userId of new Set([...was.members.keys(), ...now.members.keys()])) {
      const b = teamSide(was, userId);
      const a = teamSide(now, userId);
      const kind = teamChangeKind(place(b), place(a));
      if (kind === null || !readsTeamRow(subject, was, userId)) continue;
      const email = now.emails.get(userId) ?? was.emails.get(userId) ?? '';
      changes.push({ kind, project: now.project, userId, email, before: b, after: a });
    }
  }
  return changes.sort((x, y) => x.project.number.localeCompare(y.project.number) || x.email.localeCompare(y.email));
}

/** §9 for impact rows: a row about a data source is for those who may read it or read the bill it moves. */
async function compare(tx: Tx, ctx: Context, before: ImpactMeasure, after: ImpactMeasure): Promise<ChangeImpactShape> {
  const subject: Subject = ctx.subject();
  const readsBill = (accountId: string | null | undefined) =>
    !!accountId && authorize(subject, { action: 'account.administer', accountId }).allowed;
  const changes = accessChanges(before.access, after.access);
  const concerned = new Set<string>();
  for (const c of changes) {
    for (const id of [c.before.billedAccount?.id, c.after.billedAccount?.id]) if (id) concerned.add(id);
  }
  const openings = projectAccessChanges(subject, readsBill, before, after);
  for (const c of openings) {
    for (const id of [c.before.billedAccount?.id, c.after.billedAccount?.id]) if (id) concerned.add(id);
  }
  for (const [key, was] of before.redecided) {
    const now = after.redecided.get(key) ?? null;
    if (was !== now) for (const id of [was, now]) if (id) concerned.add(id);
  }
  const readable = new Set([...concerned].filter(readsBill));
  const billedElsewhere = await recordedUses(tx, ctx.now, { accountIds: readable });
  const uses = new Map([...before.uses, ...billedElsewhere].map((u) => [`${useKey(u)}\u0000${u.billedAccountId}`, u]));
  const billableUsers = billableUsersChanges(
    [...uses.values()],
    (use) => before.redecided.has(useKey(use)),
    useKey,
    { before: before.redecided, after: after.redecided },
    readable,
  );
  const dsRows = new Map(
    (
      await readIn(
        changes.map((c) => c.dataSourceId),
        (some) => tx.select().from(dataSources).where(inArray(dataSources.id, some)),
      )
    ).map((d) => [d.id, d]),
  );
  const access = changes.flatMap((c) => {
    const dataSource = dsRows.get(c.dataSourceId);
    if (!dataSource) return [];
    const readsDataSource = authorize(subject, {
      action: 'dataSource.read',
      ownerAccountId: dataSource.ownerAccountId,
      licensingOwnerAccountId: dataSource.licensingOwnerAccountId,
    }).allowed;
    if (!readsDataSource && !readsBill(c.before.billedAccount?.id) && !readsBill(c.after.billedAccount?.id)) return [];
    // §9: the data source's administrators read its users' identities; anyone else learns who the person
    // is only when they may read the person (IMP-2: the GraphQL layer asks).
    const administers = authorize(subject, {
      action: 'dataSource.administer',
      ownerAccountId: dataSource.ownerAccountId,
      licensingOwnerAccountId: dataSource.licensingOwnerAccountId,
    }).allowed;
    const hasDataSourceUser = (d: AccessChange['before']) =>
      typeof d.dataSourceUser === 'object' && d.dataSourceUser !== null;
    return [
      { ...c, dataSource, identifiable: administers && (hasDataSourceUser(c.before) || hasDataSourceUser(c.after)) },
    ];
  });
  return {
    access,
    team: teamChanges(subject, before, after),
    projectAccess: openings,
    billableUsers,
    estimateDays: ESTIMATE_DAYS,
  };
}

export const impactProbe: ImpactProbe<ImpactScope, ImpactMeasure, ChangeImpactShape> = {
  async scope(tx, _ctx, trace) {
    const what = named(trace);
    return { named: what, ...(await candidates(tx, what)) };
  },
  async widen(tx, _ctx, scope) {
    const before = await candidates(tx, scope.named);
    return {
      named: scope.named,
      pairs: new Map([...scope.pairs, ...before.pairs]),
      projectIds: new Set([...scope.projectIds, ...before.projectIds]),
      projectPeople: new Map(
        [...new Set([...scope.projectPeople.keys(), ...before.projectPeople.keys()])].map((id) => [
          id,
          new Set([...(scope.projectPeople.get(id) ?? []), ...(before.projectPeople.get(id) ?? [])]),
        ]),
      ),
    };
  },
  measure,
  compare,
};
