// ID-1 … ID-6 through the GraphQL API: happy paths, every error code, and who may / may not.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

const VIEWER = `{ viewer { email displayName usageCountry imsRoles homeAccount { name } associations { edges { node { account { name } grantsLicensing } } } } }`;

describe('ID-1 registerProfile', () => {
  it('ID-1 a person registers their own profile under the email of their token, lower-cased', async () => {
    const token = await world.token('New.Person@Harbor.Example', 'New Person');
    const who = { header: `Bearer ${token}` };
    expect((await world.gql(VIEWER, {}, who)).data?.viewer).toBeNull();
    const { payload, result } = await mutate(
      world,
      'registerProfile',
      { usageCountry: 'GB' },
      null,
      'user { email displayName usageCountry homeAccount { id } }',
    );
    expectTopLevel(result, 'UNAUTHENTICATED');
    expect(payload).toBeNull();
    const registered = await world.gql(
      `mutation($input: RegisterProfileInput!) { registerProfile(input: $input) {
        __typename ... on RegisterProfileSuccess { user { email displayName usageCountry homeAccount { id } } } } }`,
      { input: { usageCountry: 'GB' } },
      who,
    );
    expect(registered.data?.registerProfile).toEqual({
      __typename: 'RegisterProfileSuccess',
      user: { email: 'new.person@harbor.example', displayName: 'New Person', usageCountry: 'GB', homeAccount: null },
    });
    expect((await world.gql(VIEWER, {}, who)).data?.viewer.email).toBe('new.person@harbor.example');
  });

  it('ID-1 registering twice fails with PROFILE_EXISTS and writes nothing', async () => {
    const before = await world.rowCounts();
    const { payload } = await mutate(world, 'registerProfile', { usageCountry: 'US' }, 'alice@harbor.example');
    expectUserError(payload, 'PROFILE_EXISTS');
    expect(await world.rowCounts()).toEqual(before);
  });

  it('ID-1 a token whose email is not a valid address gets INVALID_EMAIL', async () => {
    const { payload } = await mutate(world, 'registerProfile', { usageCountry: 'US' }, 'someone@localhost');
    expectUserError(payload, 'INVALID_EMAIL');
  });

  it('ID-1 nobody creates a profile for someone else: the email always comes from the token', async () => {
    const fields = await world.gql('{ __type(name: "RegisterProfileInput") { inputFields { name } } }');
    expect(fields.data?.__type.inputFields.map((f: { name: string }) => f.name).sort()).toEqual([
      'displayName',
      'usageCountry',
    ]);
  });

  it('ID-1 a bad usage country is refused at the edge and writes nothing', async () => {
    const before = await world.rowCounts();
    const { result } = await mutate(world, 'registerProfile', { usageCountry: 'XX' }, 'new@harbor.example');
    expect(result.errors?.[0]?.message).toMatch(/CountryCode|country/i);
    expect(await world.rowCounts()).toEqual(before);
  });

  it('ID-1 a registered user updates their own display name and usage country', async () => {
    const { payload, result } = await mutate(
      world,
      'updateProfile',
      { displayName: 'Carol M.', usageCountry: 'IE' },
      'carol@harbor.example',
      'user { displayName usageCountry }',
    );
    expect(expectSuccess(payload, result).user).toEqual({ displayName: 'Carol M.', usageCountry: 'IE' });
  });

  it('ID-1 an unregistered token may read viewer (null) but nothing else', async () => {
    expect((await world.gql(VIEWER, {}, 'nobody@harbor.example')).data?.viewer).toBeNull();
    const account = await world.gql(
      `query($id: ID!) { account(id: $id) { name } }`,
      {
        id: gid('Account', cast.host.id),
      },
      'nobody@harbor.example',
    );
    expectTopLevel(account, 'FORBIDDEN');
    const { result } = await mutate(
      world,
      'createAccount',
      { name: 'X', emailDomains: ['harbor.example'] },
      'nobody@harbor.example',
    );
    expectTopLevel(result, 'FORBIDDEN');
  });
});

describe('ID-2 createAccount', () => {
  const SELECT = 'account { name emailDomains members { totalCount edges { node { email imsRoles } } } }';

  it('ID-2 an unaffiliated user creates an account and becomes its member and ACCOUNT_ADMIN', async () => {
    await world.user('gina@gauge.example');
    const { payload, result } = await mutate(
      world,
      'createAccount',
      { name: '  Gauge Labs ', emailDomains: ['Gauge.Example', '@gauge.example', 'gauge-labs.example'] },
      'gina@gauge.example',
      SELECT,
    );
    expect(expectSuccess(payload, result).account).toEqual({
      name: 'Gauge Labs',
      emailDomains: ['gauge-labs.example', 'gauge.example'],
      members: { totalCount: 1, edges: [{ node: { email: 'gina@gauge.example', imsRoles: ['ACCOUNT_ADMIN'] } }] },
    });
  });

  it("ID-2 one domain must be the creator's own: CREATOR_DOMAIN_REQUIRED", async () => {
    const { payload } = await mutate(
      world,
      'createAccount',
      { name: 'Loose Ends', emailDomains: ['loose.example'] },
      'frank@freelance.example',
    );
    expect(expectUserError(payload, 'CREATOR_DOMAIN_REQUIRED').path).toEqual(['input', 'emailDomains']);
  });

  it('ID-2 a member of an account cannot create another: ALREADY_IN_ACCOUNT', async () => {
    const { payload } = await mutate(
      world,
      'createAccount',
      { name: 'Carol Co', emailDomains: ['harbor.example'] },
      'carol@harbor.example',
    );
    expectUserError(payload, 'ALREADY_IN_ACCOUNT');
  });

  it('ID-2 domains are unique across accounts: DOMAIN_TAKEN names the domain', async () => {
    await world.user('frank@northwind.example');
    const { payload } = await mutate(
      world,
      'createAccount',
      { name: 'Frank Co', emailDomains: ['northwind.example'] },
      'frank@northwind.example',
    );
    const error = expectUserError(payload, 'DOMAIN_TAKEN');
    expect(error.message).toContain('northwind.example');
    expect(error.path).toEqual(['input', 'emailDomains', '0']);
  });

  it('ID-2 account names are unique, ignoring case: ACCOUNT_NAME_TAKEN', async () => {
    const { payload } = await mutate(
      world,
      'createAccount',
      { name: 'harbor engineering', emailDomains: ['freelance.example'] },
      'frank@freelance.example',
    );
    expectUserError(payload, 'ACCOUNT_NAME_TAKEN');
  });

  it('ID-2 a malformed domain fails with INVALID_DOMAIN; an empty list at the edge; nothing is written', async () => {
    const before = await world.rowCounts();
    const bad = await mutate(
      world,
      'createAccount',
      { name: 'Loose', emailDomains: ['freelance.example', 'bad domain'] },
      'frank@freelance.example',
    );
    expect(expectUserError(bad.payload, 'INVALID_DOMAIN').path).toEqual(['input', 'emailDomains', '1']);
    const empty = await mutate(world, 'createAccount', { name: 'Loose', emailDomains: [] }, 'frank@freelance.example');
    expectTopLevel(empty.result, 'BAD_USER_INPUT');
    const blank = await mutate(
      world,
      'createAccount',
      { name: '   ', emailDomains: ['freelance.example'] },
      'frank@freelance.example',
    );
    expectTopLevel(blank.result, 'BAD_USER_INPUT');
    expect(blank.result.errors?.[0]?.extensions?.issues?.[0]?.path).toEqual(['input', 'name']);
    expect(await world.rowCounts()).toEqual(before);
  });

  it('ID-2 unauthenticated callers get UNAUTHENTICATED', async () => {
    const { result } = await mutate(world, 'createAccount', { name: 'X', emailDomains: ['x.example'] }, null);
    expectTopLevel(result, 'UNAUTHENTICATED');
  });
});

describe('ID-3 account members', () => {
  const add = (email: string, as: string | null, accountId = gid('Account', cast.host.id)) =>
    mutate(world, 'addAccountMember', { accountId, email }, as, 'user { email homeAccount { name } }');

  it('ID-3 an IMS admin adds a registered, unaffiliated user of one of the domains', async () => {
    await world.user('Hank@Harbor.example');
    const { payload, result } = await add('HANK@harbor.example', 'alice@harbor.example');
    expect(expectSuccess(payload, result).user).toEqual({
      email: 'hank@harbor.example',
      homeAccount: { name: 'Harbor Engineering' },
    });
  });

  it('ID-3 every IMS role may add members (CONNECT_SERVICES_ADMIN too)', async () => {
    await world.member(cast.host, await world.user('ivy@harbor.example'), 'CONNECT_SERVICES_ADMIN');
    await world.user('hank@harbor.example');
    const { payload, result } = await add('hank@harbor.example', 'ivy@harbor.example');
    expectSuccess(payload, result);
  });

  it('ID-3 each refusal has its code: USER_NOT_FOUND, USER_IN_ANOTHER_ACCOUNT, ALREADY_MEMBER, EMAIL_DOMAIN_MISMATCH, INVALID_EMAIL', async () => {
    const before = await world.rowCounts();
    expectUserError((await add('ghost@harbor.example', 'alice@harbor.example')).payload, 'USER_NOT_FOUND');
    await world.user('x@northwind.example');
    const other = await world.account('Other', ['other.example'], await world.user('o@other.example'));
    expect(other.name).toBe('Other');
    expectUserError((await add('o@other.example', 'alice@harbor.example')).payload, 'USER_IN_ANOTHER_ACCOUNT');
    expectUserError((await add('carol@harbor.example', 'alice@harbor.example')).payload, 'ALREADY_MEMBER');
    expectUserError((await add('frank@freelance.example', 'alice@harbor.example')).payload, 'EMAIL_DOMAIN_MISMATCH');
    expectUserError((await add('hank@localhost', 'alice@harbor.example')).payload, 'INVALID_EMAIL');
    const counts = await world.rowCounts();
    expect(counts.auditEntries).toBe((before.auditEntries ?? 0) + 3); // the three set-up calls above, no more
  });

  it('ID-3 an unknown account is NOT_FOUND', async () => {
    await world.user('hank@harbor.example');
    const { payload } = await add('hank@harbor.example', 'alice@harbor.example', gid('Account', 'nope'));
    expectUserError(payload, 'NOT_FOUND');
  });

  it('ID-3 who may not: a member without a role, an IMS admin of another account, anonymous', async () => {
    await world.user('hank@harbor.example');
    expectTopLevel((await add('hank@harbor.example', 'carol@harbor.example')).result, 'FORBIDDEN');
    expectTopLevel((await add('hank@harbor.example', 'dave@northwind.example')).result, 'FORBIDDEN');
    expectTopLevel((await add('hank@harbor.example', null)).result, 'UNAUTHENTICATED');
  });

  it('ID-3 an associated external user who joins the account stops being external', async () => {
    await world.associate(cast.host, cast.frank, cast.alice);
    const other = await world.user('frank@harbor.example');
    await world.associate(cast.host, other, cast.alice);
    await add('frank@harbor.example', 'alice@harbor.example');
    const q = await world.gql(
      `query($id: ID!) { account(id: $id) { externalUsers { totalCount edges { node { user { email } } } } } }`,
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    expect(q.data?.account.externalUsers).toEqual({
      totalCount: 1,
      edges: [{ node: { user: { email: 'frank@freelance.example' } } }],
    });
  });

  it('ID-3 removeAccountMember makes the member unaffiliated and drops their IMS roles', async () => {
    const { payload, result } = await mutate(
      world,
      'removeAccountMember',
      { accountId: gid('Account', cast.host.id), userId: gid('User', cast.bob.id) },
      'alice@harbor.example',
      'user { email homeAccount { id } imsRoles }',
    );
    expect(expectSuccess(payload, result).user).toEqual({
      email: 'bob@harbor.example',
      homeAccount: null,
      imsRoles: [],
    });
  });

  it('ID-3 removeAccountMember: NOT_A_MEMBER, LAST_ACCOUNT_ADMIN, and ID-4 for CO_ADMINISTRATOR on an ACCOUNT_ADMIN', async () => {
    const remove = (userId: string, as: string) =>
      mutate(
        world,
        'removeAccountMember',
        { accountId: gid('Account', cast.host.id), userId: gid('User', userId) },
        as,
      );
    expectUserError((await remove(cast.erin.id, 'alice@harbor.example')).payload, 'NOT_A_MEMBER');
    expectUserError((await remove(cast.alice.id, 'alice@harbor.example')).payload, 'LAST_ACCOUNT_ADMIN');
    expectTopLevel((await remove(cast.alice.id, 'bob@harbor.example')).result, 'FORBIDDEN');
    expectTopLevel((await remove(cast.bob.id, 'carol@harbor.example')).result, 'FORBIDDEN');
  });

  it('ID-4 removing a member who holds roles needs the right to revoke each of them', async () => {
    const gina = await world.member(cast.host, await world.user('gina@harbor.example'), 'CONNECT_SERVICES_ADMIN');
    const hal = await world.member(cast.host, await world.user('hal@harbor.example'), 'CONNECT_SERVICES_ADMIN');
    const ivy = await world.member(cast.host, await world.user('ivy@harbor.example'));
    const remove = (userId: string, as: string) =>
      mutate(
        world,
        'removeAccountMember',
        { accountId: gid('Account', cast.host.id), userId: gid('User', userId) },
        as,
        'user { email homeAccount { id } }',
      );
    // A CONNECT_SERVICES_ADMIN revokes no roles: a CO_ADMINISTRATOR or another role-holder stays.
    const before = await world.rowCounts();
    expectTopLevel((await remove(cast.bob.id, gina.email)).result, 'FORBIDDEN');
    expectTopLevel((await remove(hal.id, gina.email)).result, 'FORBIDDEN');
    expect(await world.rowCounts()).toEqual(before);
    // …but removes a member without roles.
    const plain = await remove(ivy.id, gina.email);
    expect(expectSuccess(plain.payload, plain.result).user.homeAccount).toBeNull();
    // A CO_ADMINISTRATOR revokes CONNECT_SERVICES_ADMIN and CO_ADMINISTRATOR, so removes their holders.
    const byCo = await remove(hal.id, cast.bob.email);
    expect(expectSuccess(byCo.payload, byCo.result).user.homeAccount).toBeNull();
    const coOnCo = await world.member(cast.host, await world.user('jo@harbor.example'), 'CO_ADMINISTRATOR');
    const removedCo = await remove(coOnCo.id, cast.bob.email);
    expect(expectSuccess(removedCo.payload, removedCo.result).user.homeAccount).toBeNull();
  });
});

describe('ID-4 IMS roles', () => {
  const role = (name: 'grantImsRole' | 'revokeImsRole', userId: string, r: string, as: string | null) =>
    mutate(
      world,
      name,
      { accountId: gid('Account', cast.host.id), userId: gid('User', userId), role: r },
      as,
      'user { email imsRoles }',
    );

  it('ID-4 an ACCOUNT_ADMIN grants any role, ACCOUNT_ADMIN included, and revokes it', async () => {
    const granted = await role('grantImsRole', cast.carol.id, 'ACCOUNT_ADMIN', 'alice@harbor.example');
    expect(expectSuccess(granted.payload, granted.result).user.imsRoles).toEqual(['ACCOUNT_ADMIN']);
    const revoked = await role('revokeImsRole', cast.carol.id, 'ACCOUNT_ADMIN', 'alice@harbor.example');
    expect(expectSuccess(revoked.payload, revoked.result).user.imsRoles).toEqual([]);
  });

  it('ID-4 a CO_ADMINISTRATOR grants and revokes the other roles', async () => {
    const granted = await role('grantImsRole', cast.carol.id, 'CONNECT_SERVICES_ADMIN', 'bob@harbor.example');
    expect(expectSuccess(granted.payload, granted.result).user.imsRoles).toEqual(['CONNECT_SERVICES_ADMIN']);
    const co = await role('grantImsRole', cast.carol.id, 'CO_ADMINISTRATOR', 'bob@harbor.example');
    expectSuccess(co.payload, co.result);
    const revoked = await role('revokeImsRole', cast.carol.id, 'CONNECT_SERVICES_ADMIN', 'bob@harbor.example');
    expect(expectSuccess(revoked.payload, revoked.result).user.imsRoles).toEqual(['CO_ADMINISTRATOR']);
  });

  it('ID-4 a CO_ADMINISTRATOR may not grant or revoke ACCOUNT_ADMIN, nor act on an ACCOUNT_ADMIN', async () => {
    const before = await world.rowCounts();
    expectTopLevel(
      (await role('grantImsRole', cast.carol.id, 'ACCOUNT_ADMIN', 'bob@harbor.example')).result,
      'FORBIDDEN',
    );
    expectTopLevel(
      (await role('revokeImsRole', cast.alice.id, 'ACCOUNT_ADMIN', 'bob@harbor.example')).result,
      'FORBIDDEN',
    );
    expectTopLevel(
      (await role('grantImsRole', cast.alice.id, 'CONNECT_SERVICES_ADMIN', 'bob@harbor.example')).result,
      'FORBIDDEN',
    );
    expect(await world.rowCounts()).toEqual(before);
  });

  it('ID-4 who may not: CONNECT_SERVICES_ADMIN, a member without a role, an admin of another account, anonymous', async () => {
    await world.member(cast.host, await world.user('ivy@harbor.example'), 'CONNECT_SERVICES_ADMIN');
    for (const as of ['ivy@harbor.example', 'carol@harbor.example', 'dave@northwind.example']) {
      expectTopLevel((await role('grantImsRole', cast.carol.id, 'CONNECT_SERVICES_ADMIN', as)).result, 'FORBIDDEN');
    }
    expectTopLevel(
      (await role('grantImsRole', cast.carol.id, 'CONNECT_SERVICES_ADMIN', null)).result,
      'UNAUTHENTICATED',
    );
  });

  it('ID-4 roles are held by members only: NOT_A_MEMBER for an external user', async () => {
    const { payload } = await role('grantImsRole', cast.erin.id, 'CONNECT_SERVICES_ADMIN', 'alice@harbor.example');
    expectUserError(payload, 'NOT_A_MEMBER');
  });

  it('ID-4 ROLE_ALREADY_HELD and ROLE_NOT_HELD', async () => {
    expectUserError(
      (await role('grantImsRole', cast.bob.id, 'CO_ADMINISTRATOR', 'alice@harbor.example')).payload,
      'ROLE_ALREADY_HELD',
    );
    expectUserError(
      (await role('revokeImsRole', cast.carol.id, 'CO_ADMINISTRATOR', 'alice@harbor.example')).payload,
      'ROLE_NOT_HELD',
    );
  });

  it('ID-4 the last ACCOUNT_ADMIN cannot be revoked (LAST_ACCOUNT_ADMIN) until another exists', async () => {
    const before = await world.rowCounts();
    expectUserError(
      (await role('revokeImsRole', cast.alice.id, 'ACCOUNT_ADMIN', 'alice@harbor.example')).payload,
      'LAST_ACCOUNT_ADMIN',
    );
    expect(await world.rowCounts()).toEqual(before);
    await role('grantImsRole', cast.bob.id, 'ACCOUNT_ADMIN', 'alice@harbor.example');
    const ok = await role('revokeImsRole', cast.alice.id, 'ACCOUNT_ADMIN', 'alice@harbor.example');
    expect(expectSuccess(ok.payload, ok.result).user.imsRoles).toEqual([]);
  });
});

describe('ID-5 associations', () => {
  const associate = (email: string, as: string | null) =>
    mutate(
      world,
      'associateExternalUser',
      { accountId: gid('Account', cast.host.id), email },
      as,
      'association { id account { name } user { email } grantsLicensing } grantsLicensing warnings { code message }',
    );

  it('ID-5 an IMS admin associates an external user; the payload says it grants licensing', async () => {
    const { payload, result } = await associate('erin@northwind.example', 'alice@harbor.example');
    const success = expectSuccess(payload, result);
    expect(success.association).toMatchObject({
      account: { name: 'Harbor Engineering' },
      user: { email: 'erin@northwind.example' },
      grantsLicensing: true,
    });
    expect(success.grantsLicensing).toBe(true);
    expect(success.warnings).toEqual([{ code: 'GRANTS_LICENSING', message: expect.stringMatching(/licensing/) }]);
    const mine = await world.gql(VIEWER, {}, 'erin@northwind.example');
    expect(nodes(mine.data?.viewer.associations)).toEqual([
      { account: { name: 'Harbor Engineering' }, grantsLicensing: true },
    ]);
  });

  it('ID-5 an unaffiliated user is external too', async () => {
    const { payload, result } = await associate('frank@freelance.example', 'bob@harbor.example');
    expectSuccess(payload, result);
  });

  it('ID-5 NOT_EXTERNAL, ALREADY_ASSOCIATED, USER_NOT_FOUND', async () => {
    expectUserError((await associate('carol@harbor.example', 'alice@harbor.example')).payload, 'NOT_EXTERNAL');
    await associate('erin@northwind.example', 'alice@harbor.example');
    expectUserError((await associate('erin@northwind.example', 'alice@harbor.example')).payload, 'ALREADY_ASSOCIATED');
    expectUserError((await associate('ghost@northwind.example', 'alice@harbor.example')).payload, 'USER_NOT_FOUND');
  });

  it('ID-5 who may not: a member without a role, an admin of another account, anonymous', async () => {
    expectTopLevel((await associate('erin@northwind.example', 'carol@harbor.example')).result, 'FORBIDDEN');
    expectTopLevel((await associate('erin@northwind.example', 'dave@northwind.example')).result, 'FORBIDDEN');
    expectTopLevel((await associate('erin@northwind.example', null)).result, 'UNAUTHENTICATED');
  });

  it("ID-5 removing the association removes it from the account's external users and the user's list", async () => {
    const id = await world.associate(cast.host, cast.erin, cast.alice);
    const { payload, result } = await mutate(
      world,
      'removeExternalAssociation',
      { associationId: gid('Association', id) },
      'bob@harbor.example',
      'removedAssociationId account { name }',
    );
    expect(expectSuccess(payload, result)).toMatchObject({ removedAssociationId: gid('Association', id) });
    const mine = await world.gql(VIEWER, {}, 'erin@northwind.example');
    expect(nodes(mine.data?.viewer.associations)).toEqual([]);
  });

  it('ID-5 removing: the associated user is FORBIDDEN; others cannot tell it exists (NOT_FOUND)', async () => {
    const id = await world.associate(cast.host, cast.erin, cast.alice);
    const remove = (as: string, associationId = gid('Association', id)) =>
      mutate(world, 'removeExternalAssociation', { associationId }, as);
    expectTopLevel((await remove('erin@northwind.example')).result, 'FORBIDDEN');
    expectUserError((await remove('dave@northwind.example')).payload, 'NOT_FOUND');
    expectUserError((await remove('carol@harbor.example')).payload, 'NOT_FOUND');
    expectUserError((await remove('alice@harbor.example', gid('Association', 'missing'))).payload, 'NOT_FOUND');
  });

  it("ID-5 an IMS admin sees an associated external user's profile, but only their own account's associations", async () => {
    await world.associate(cast.supplier, cast.frank, cast.dave);
    const hostLink = await world.associate(cast.host, cast.frank, cast.alice);
    const q = `query($id: ID!) { user(id: $id) { email associations { edges { node { id } } } } }`;
    const asAlice = await world.gql(q, { id: gid('User', cast.frank.id) }, 'alice@harbor.example');
    expect(asAlice.data?.user).toEqual({
      email: 'frank@freelance.example',
      associations: { edges: [{ node: { id: gid('Association', hostLink) } }] },
    });
    const asCarol = await world.gql(q, { id: gid('User', cast.frank.id) }, 'carol@harbor.example');
    expect(asCarol.data?.user).toBeNull();
  });

  it('§9 an associated user’s IMS roles in their own account are not the associating admins’ to read', async () => {
    await world.associate(cast.host, cast.dave, cast.alice);
    const q = `query($id: ID!) { user(id: $id) { email imsRoles } }`;
    const asAlice = await world.gql(q, { id: gid('User', cast.dave.id) }, 'alice@harbor.example');
    expect(asAlice.data?.user).toEqual({ email: 'dave@northwind.example', imsRoles: null });
    expectTopLevel(asAlice, 'FORBIDDEN');
    const own = await world.gql(q, { id: gid('User', cast.dave.id) }, 'dave@northwind.example');
    expect(own.data?.user).toEqual({ email: 'dave@northwind.example', imsRoles: ['ACCOUNT_ADMIN'] });
    const byHisAdmin = await world.gql(q, { id: gid('User', cast.erin.id) }, 'dave@northwind.example');
    expect(byHisAdmin.data?.user).toEqual({ email: 'erin@northwind.example', imsRoles: [] });
  });
});

describe('ID-6 entitlements', () => {
  const add = (input: Record<string, unknown>, as: string | null) =>
    mutate(
      world,
      'addEntitlement',
      {
        accountId: gid('Account', cast.host.id),
        productCode: 'PW_EXPLORER',
        country: 'US',
        contractEndDate: '2027-03-31',
        ...input,
      },
      as,
      'entitlement { id productCode country contractEndDate active account { name } }',
    );

  it('ID-6 an IMS admin records an entitlement (account, product, country, contract end)', async () => {
    const { payload, result } = await add({}, 'bob@harbor.example');
    expect(expectSuccess(payload, result).entitlement).toMatchObject({
      productCode: 'PW_EXPLORER',
      country: 'US',
      contractEndDate: '2027-03-31',
      active: true,
      account: { name: 'Harbor Engineering' },
    });
    const list = await world.gql(
      `query($id: ID!) { account(id: $id) { entitlements { totalCount edges { node { productCode country } } } } }`,
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    expect(list.data?.account.entitlements).toEqual({
      totalCount: 1,
      edges: [{ node: { productCode: 'PW_EXPLORER', country: 'US' } }],
    });
  });

  it('ID-6 DUPLICATE_ENTITLEMENT and CONTRACT_ENDED', async () => {
    await add({}, 'alice@harbor.example');
    expectUserError(
      (await add({ contractEndDate: '2028-01-01' }, 'alice@harbor.example')).payload,
      'DUPLICATE_ENTITLEMENT',
    );
    expectUserError(
      (await add({ country: 'GB', contractEndDate: '2026-06-14' }, 'alice@harbor.example')).payload,
      'CONTRACT_ENDED',
    );
  });

  it('ID-6 product codes are upper-case identifiers and countries ISO alpha-2, checked at the edge', async () => {
    const before = await world.rowCounts();
    expectTopLevel((await add({ productCode: 'pw explorer' }, 'alice@harbor.example')).result, 'BAD_USER_INPUT');
    expect((await add({ country: 'USA' }, 'alice@harbor.example')).result.errors).toBeDefined();
    expect((await add({ contractEndDate: '2027-02-30' }, 'alice@harbor.example')).result.errors).toBeDefined();
    expect(await world.rowCounts()).toEqual(before);
  });

  it('ID-6 who may not add: a member without a role, an admin of another account, anonymous', async () => {
    expectTopLevel((await add({}, 'carol@harbor.example')).result, 'FORBIDDEN');
    expectTopLevel((await add({}, 'dave@northwind.example')).result, 'FORBIDDEN');
    expectTopLevel((await add({}, null)).result, 'UNAUTHENTICATED');
  });

  it('ID-6 removeEntitlement by an IMS admin; anyone else cannot tell it exists (NOT_FOUND)', async () => {
    const id = await world.entitlement(cast.host, cast.alice, 'MICROSTATION', 'US');
    const remove = (as: string) =>
      mutate(world, 'removeEntitlement', { entitlementId: gid('Entitlement', id) }, as, 'entitlement { productCode }');
    expectUserError((await remove('carol@harbor.example')).payload, 'NOT_FOUND');
    expectUserError((await remove('dave@northwind.example')).payload, 'NOT_FOUND');
    const ok = await remove('bob@harbor.example');
    expect(expectSuccess(ok.payload, ok.result).entitlement).toEqual({ productCode: 'MICROSTATION' });
    expectUserError((await remove('bob@harbor.example')).payload, 'NOT_FOUND');
  });

  it('ID-6 entitlements are readable by IMS admins only', async () => {
    await world.entitlement(cast.host, cast.alice, 'MICROSTATION', 'US');
    const q = `query($id: ID!) { account(id: $id) { name entitlements { totalCount } } }`;
    const asCarol = await world.gql(q, { id: gid('Account', cast.host.id) }, 'carol@harbor.example');
    expect(asCarol.data?.account).toEqual({ name: 'Harbor Engineering', entitlements: null });
    expectTopLevel(asCarol, 'FORBIDDEN');
  });

  it('ID-6 an entitlement whose contract has ended shows as inactive', async () => {
    await world.entitlement(cast.host, cast.alice, 'MICROSTATION', 'US', '2026-06-30');
    world.setNow(new Date('2026-07-01T00:00:00Z'));
    const q = await world.gql(
      `query($id: ID!) { account(id: $id) { entitlements { edges { node { active } } } } }`,
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    expect(q.data?.account.entitlements.edges).toEqual([{ node: { active: false } }]);
  });
});

describe('§9 reading an account', () => {
  it('§9 anyone signed in reads its name; its domains and creation date only its members and IMS admins', async () => {
    const q = 'query($id: ID!) { account(id: $id) { name emailDomains createdAt } }';
    const asDave = await world.gql(q, { id: gid('Account', cast.host.id) }, 'dave@northwind.example');
    expect(asDave.data?.account).toEqual({ name: 'Harbor Engineering', emailDomains: null, createdAt: null });
    expectTopLevel(asDave, 'FORBIDDEN');
    const asCarol = await world.gql(q, { id: gid('Account', cast.host.id) }, 'carol@harbor.example');
    expect(asCarol.errors).toBeUndefined();
    expect(asCarol.data?.account.emailDomains).toEqual(['harbor.example']);
  });
});
