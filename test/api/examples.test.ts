// Every operation in schema/examples runs against a server holding the demo world, in file order,
// and gets the answer its `# expect:` line states. Placeholders in `# variables:` — "<Account:Name>",
// "<User:email>", "<DataSource:Name>", "<LicensingOwnerRequest:data source name>", "<LicenseFile:email>",
// "<Project:number>", "<WorkArea:name>", "<Invitation:project number/invited account name>" (that
// project's newest invitation to that account), and the principals of a data source
// "<DataSourceUser:login>", "<DataSourceGroup:name>", "<UserList:name>", "<EveryoneGroup:data source
// name>" (a login or name may be qualified as "Data Source Name/login" where two data sources share it)
// — stand for what a client would have read first (00-find-ids.graphql and
// 19-deliverables-participants.graphql show where).
import { readdirSync, readFileSync } from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { one } from '../../src/db/query.js';
import {
  accounts,
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  invitations,
  licenseCheckouts,
  licensingOwnerRequests,
  projects,
  userLists,
  users,
  workAreas,
} from '../../src/db/schema.js';
import { loadDemoWorld } from '../../src/demo/world.js';
import { loadSigningKey } from '../../src/licensing/license-keys.js';
import { createWorld, gid, type World } from '../helpers/world.js';

const dir = new URL('../../schema/examples/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

function header(text: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1]?.trim();
}

/** The one row of a data source's users, groups, user lists or work areas with this login or name. */
async function inDataSource(world: World, type: string, qualified: string): Promise<{ id: string }> {
  const slash = qualified.lastIndexOf('/');
  const dataSourceName = slash >= 0 ? qualified.slice(0, slash) : null;
  const key = (slash >= 0 ? qualified.slice(slash + 1) : qualified).toLowerCase();
  const named = async (table: typeof dataSourceGroups | typeof userLists | typeof workAreas) =>
    await world.db.select({ id: table.id, dataSourceId: table.dataSourceId }).from(table).where(eq(table.nameKey, key));
  const rows =
    type === 'DataSourceUser'
      ? await world.db
          .select({ id: dataSourceUsers.id, dataSourceId: dataSourceUsers.dataSourceId })
          .from(dataSourceUsers)
          .where(eq(dataSourceUsers.loginKey, key))
      : await named(type === 'DataSourceGroup' ? dataSourceGroups : type === 'UserList' ? userLists : workAreas);
  const dataSourceId =
    dataSourceName === null
      ? null
      : (
          await one(
            world.db.select({ id: dataSources.id }).from(dataSources).where(eq(dataSources.name, dataSourceName)),
          )
        )?.id;
  const matches = rows.filter((r) => dataSourceId === null || r.dataSourceId === dataSourceId);
  if (matches.length !== 1) {
    throw new Error(
      `example placeholder ${type}:${qualified} matches ${matches.length} rows in the demo world${matches.length > 1 ? ' (qualify it: "Data Source Name/name")' : ''}`,
    );
  }
  return matches[0] as { id: string };
}

/** The newest invitation of the project with this number to the account with this name. */
async function invitation(world: World, qualified: string): Promise<{ id: string }> {
  const slash = qualified.lastIndexOf('/');
  if (slash < 0) throw new Error(`example placeholder Invitation:${qualified} needs "project number/account name"`);
  const row = await one(
    world.db
      .select({ id: invitations.id })
      .from(invitations)
      .innerJoin(projects, eq(projects.id, invitations.projectId))
      .innerJoin(accounts, eq(accounts.id, invitations.invitedAccountId))
      .where(and(eq(projects.number, qualified.slice(0, slash)), eq(accounts.name, qualified.slice(slash + 1))))
      .orderBy(desc(invitations.sentAt)),
  );
  if (!row) throw new Error(`example placeholder Invitation:${qualified} matches no invitation in the demo world`);
  return row;
}

/** `text.replace(pattern, replacer)` with an async replacer, the matches replaced in turn. */
async function replaceAsync(
  text: string,
  pattern: RegExp,
  replacer: (...groups: string[]) => Promise<string>,
): Promise<string> {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += text.slice(last, match.index) + (await replacer(...match));
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

async function resolvePlaceholders(world: World, json: string): Promise<string> {
  let out = json;
  out = await replaceAsync(out, /<Invitation:([^>]+)>/g, async (_all, key: string) =>
    gid('Invitation', (await invitation(world, key)).id),
  );
  out = await replaceAsync(
    out,
    /<(DataSourceUser|DataSourceGroup|UserList|WorkArea|EveryoneGroup|Project):([^>]+)>/g,
    async (_all, type: string, key: string) => {
      if (type === 'Project') {
        const row = await one(world.db.select({ id: projects.id }).from(projects).where(eq(projects.number, key)));
        if (!row) throw new Error(`example placeholder Project:${key} matches no project in the demo world`);
        return gid(type, row.id);
      }
      if (type === 'EveryoneGroup') {
        const row = await one(
          world.db.select({ id: dataSources.id }).from(dataSources).where(eq(dataSources.name, key)),
        );
        if (!row) throw new Error(`example placeholder EveryoneGroup:${key} matches no data source in the demo world`);
        return gid(type, row.id);
      }
      return gid(type, (await inDataSource(world, type, key)).id);
    },
  );
  out = await replaceAsync(out, /<LicenseFile:([^>]+)>/g, async (_all, email: string) => {
    const row = await one(
      world.db
        .select({ file: licenseCheckouts.licenseFile })
        .from(licenseCheckouts)
        .where(eq(licenseCheckouts.email, email)),
    );
    if (!row?.file) throw new Error(`example placeholder LicenseFile:${email} matches no checkout in the demo world`);
    return JSON.stringify(row.file).slice(1, -1);
  });
  return replaceAsync(
    out,
    /<(Account|User|DataSource|LicensingOwnerRequest):([^>]+)>/g,
    async (_all, type: string, key: string) => {
      const dataSourceId = async (name: string) =>
        (await one(world.db.select({ id: dataSources.id }).from(dataSources).where(eq(dataSources.name, name))))?.id ??
        '';
      const row =
        type === 'Account'
          ? await one(world.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, key)))
          : type === 'DataSource'
            ? await one(world.db.select({ id: dataSources.id }).from(dataSources).where(eq(dataSources.name, key)))
            : type === 'LicensingOwnerRequest'
              ? await one(
                  world.db
                    .select({ id: licensingOwnerRequests.id })
                    .from(licensingOwnerRequests)
                    .where(eq(licensingOwnerRequests.dataSourceId, await dataSourceId(key))),
                )
              : await one(world.db.select({ id: users.id }).from(users).where(eq(users.email, key)));
      if (!row) throw new Error(`example placeholder ${type}:${key} matches nothing in the demo world`);
      return gid(type, row.id);
    },
  );
}

describe('contract: schema/examples run against the demo world', async () => {
  it('has the examples the README relies on', () => {
    expect(files.length).toBeGreaterThanOrEqual(36);
    // Issue 14: the dry runs the README points at.
    for (const name of [
      '41-dry-run-associate-external-user',
      '42-dry-run-open-archive-to-external-users',
      '43-dry-run-associate-work-area',
      '44-after-the-dry-runs',
    ]) {
      expect(files).toContain(`${name}.graphql`);
    }
  });

  const world = await createWorld();
  beforeAll(async () => {
    await loadDemoWorld(world.db, world.now, await loadSigningKey(world.db, undefined));
  });

  for (const file of files) {
    it(`${file} answers as its "# expect:" line says`, async () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const as = header(text, 'as');
      const expected = header(text, 'expect');
      expect(as, 'every example names who runs it (# as:)').toBeDefined();
      expect(expected, 'every example states its answer (# expect:)').toBeDefined();
      const variables = JSON.parse(await resolvePlaceholders(world, header(text, 'variables') ?? '{}'));
      const result = await world.gql(text, variables, as ?? null);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data).toMatchObject(JSON.parse(expected ?? '{}'));
    });
  }
});
