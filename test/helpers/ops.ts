// Small helpers to call mutations and read their union payloads in tests.
import { expect } from 'vitest';
import type { GqlResult, World } from './world.js';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Calls `name(input: $input)` selecting `selection` on its success type and code/message/path on
 * errors. Returns the payload (`__typename` tells success from `UserError`) and the raw result.
 */
export async function mutate(
  world: World,
  name: string,
  input: Record<string, unknown>,
  as: string | null,
  selection = '__typename',
): Promise<{ payload: Record<string, any> | null; result: GqlResult }> {
  const query = `mutation Op($input: ${SHARED_INPUTS[name] ?? capitalize(name)}Input!) {
    ${name}(input: $input) {
      __typename
      ... on Error { code message path }
      ... on ${successType(name)} { ${selection} }
    }
  }`;
  const result = await world.gql(query, { input }, as);
  return { payload: (result.data?.[name] as Record<string, any> | undefined) ?? null, result };
}

/** Input type names that several mutations share. */
const SHARED_INPUTS: Record<string, string> = {
  grantImsRole: 'ImsRole',
  revokeImsRole: 'ImsRole',
  assignProjectRoles: 'ProjectRoles',
  unassignProjectRoles: 'ProjectRoles',
};

function successType(name: string): string {
  return `${capitalize(name)}Success`;
}

/** Asserts a typed business error in the payload and returns it. */
export function expectUserError(payload: Record<string, any> | null, code: string) {
  expect(payload, 'payload').not.toBeNull();
  expect(payload?.__typename).toBe('UserError');
  expect(payload?.code).toBe(code);
  expect(typeof payload?.message).toBe('string');
  return payload as { code: string; message: string; path: string[] | null };
}

/** Asserts a top-level error with this extensions.code (and no data for the field). */
export function expectTopLevel(result: GqlResult, code: string) {
  expect(
    result.errors?.map((e) => e.extensions?.code),
    JSON.stringify(result.errors),
  ).toContain(code);
}

export function expectSuccess(payload: Record<string, any> | null, result: GqlResult) {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  expect(payload?.__typename, JSON.stringify(payload)).toMatch(/Success$/);
  return payload as Record<string, any>;
}

/** The nodes of a connection as returned by the API (`{ edges { node } }`), in order. */
export function nodes(connection: { edges: { node: any }[] } | null | undefined): any[] {
  expect(connection, 'connection').toBeTruthy();
  return (connection?.edges ?? []).map((e) => e.node);
}
