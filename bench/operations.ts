// The GraphQL documents `npm run bench` sends. The floor server (bench/floor-server.ts) recognizes them
// by their exact text — it has no GraphQL parser, that is the point of a floor — so the client and the
// floor import them from here.

/** The small query polled during a bulk checkout, and the first request after startup. */
export const VIEWER = '{ viewer { id } }';

/** How many of each user's groups a page asks for (a page of 500 with 10 would exceed MAX_QUERY_COST). */
export const GROUPS_PER_USER = 5;

/** (i) A data source's users with their groups: what an admin's user list shows. */
export const DATA_SOURCE_USERS_PAGE = `query DataSourceUsers($id: ID!, $first: Int) {
  dataSource(id: $id) {
    users(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id login email identity clientLicensing createdAt groups(first: ${GROUPS_PER_USER}) { totalCount edges { node { id name } } } } }
    }
  }
}`;

/** (ii) An account's members with their IMS roles and home account. */
export const ACCOUNT_MEMBERS_PAGE = `query AccountMembers($id: ID!, $first: Int) {
  account(id: $id) {
    members(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id email displayName imsRoles homeAccount { id name emailDomains } } }
    }
  }
}`;

/** (iii) Issue 14, IMP-5: who can get in to a data source, and who would pay. */
export const ACCESS_REPORT_PAGE = `query AccessReport($id: ID!, $first: Int) {
  dataSource(id: $id) {
    accessReport(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { kind people email decision { granted denialReason licenseSource billedAccount { id name } } } }
    }
  }
}`;

const DECISION = 'granted denialReason licenseSource external billedAccount { id name } steps { rule outcome detail }';

/** What a desktop client calls after its user signed in (ACC-1…ACC-3, LIC-1, LIC-2). */
export const SIGN_IN = `mutation SignIn($input: SignInToDataSourceInput!) {
  signInToDataSource(input: $input) {
    __typename
    ... on SignInToDataSourceSuccess { decision { ${DECISION} } }
    ... on Error { code message }
  }
}`;

/** The same decision, recording nothing. */
export const EXPLAIN = `query Explain($input: ExplainAccessInput!) { explainAccess(input: $input) { ${DECISION} } }`;

/** LIC-8: a bulk checkout from a CSV. */
export const BULK_CHECKOUT = `mutation Bulk($input: CreateBulkLicenseCheckoutInput!) {
  createBulkLicenseCheckout(input: $input) {
    __typename
    ... on CreateBulkLicenseCheckoutSuccess { count checkouts { id email machineName licenseFile } }
    ... on Error { code message }
  }
}`;

const PAGES = {
  dataSourceUsers: DATA_SOURCE_USERS_PAGE,
  accountMembers: ACCOUNT_MEMBERS_PAGE,
  accessReport: ACCESS_REPORT_PAGE,
} as const;

export type PageKind = keyof typeof PAGES;

/** The request body of a page: `first` items of list `kind`. */
export function pageBody(kind: PageKind, id: string, first: number): string {
  return JSON.stringify({ query: PAGES[kind], variables: { id, first } });
}

export function decisionBody(kind: 'signIn' | 'explain', dataSourceId: string): string {
  return JSON.stringify({
    query: kind === 'signIn' ? SIGN_IN : EXPLAIN,
    variables: { input: { dataSourceId, machineName: 'WS-042', product: 'PW_EXPLORER' } },
  });
}

/** `rows` rows `email,machineName` for a bulk checkout; `prefix` keeps every round's pairs new (LIC-6). */
export function bulkBody(accountId: string, prefix: string, rows: number): string {
  const csv = ['email,machineName', ...Array.from({ length: rows }, (_, i) => `${prefix}${i}@crew.example,PC-${i}`)];
  return JSON.stringify({
    query: BULK_CHECKOUT,
    variables: {
      input: {
        accountId,
        csv: csv.join('\n'),
        products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
        entitlementCountry: 'DE',
      },
    },
  });
}
