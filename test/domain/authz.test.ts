// §9 in one table: every action of the authz catalogue, decided for each kind of caller — allowed,
// refused (FORBIDDEN), or hidden (the object must look missing). Pure: no database.
import { describe, expect, it } from 'vitest';
import type { AuthzRequest, Subject } from '../../src/authz/actions.js';
import { decide } from '../../src/authz/rules.js';
import type { ImsRole } from '../../src/db/schema.js';

const HOST = 'acct-host';
const SUPPLIER = 'acct-supplier';

const as = (id: string, roles: Record<string, ImsRole[]> = {}, email = `${id}@example.test`): Subject => ({
  viewer: { id, email, homeAccountId: Object.keys(roles)[0] ?? null },
  rolesByAccount: new Map(Object.entries(roles)),
});
const accountAdmin = as('alice', { [HOST]: ['ACCOUNT_ADMIN'] });
const coAdmin = as('bob', { [HOST]: ['CO_ADMINISTRATOR'] });
const connectAdmin = as('gina', { [HOST]: ['CONNECT_SERVICES_ADMIN'] });
const member = as('carol');
const supplierAdmin = as('dave', { [SUPPLIER]: ['ACCOUNT_ADMIN'] });
const stranger = as('frank');
const unregistered: Subject = { viewer: null, rolesByAccount: new Map() };

type Outcome = 'allow' | 'deny' | 'hide';
const outcome = (subject: Subject, request: AuthzRequest): Outcome => {
  const d = decide(subject, request);
  return d.allowed ? 'allow' : d.hidden ? 'hide' : 'deny';
};

describe('§9 authz decisions', () => {
  it('§9 an unregistered caller is refused everything, with the reason', () => {
    const d = decide(unregistered, { action: 'account.read' });
    expect(d).toMatchObject({ allowed: false, hidden: false, rule: '§9' });
    expect(d.reason).toMatch(/registerProfile/);
  });

  it('§9 account.read: anyone registered; account.administer: the IMS admins of that account only', () => {
    expect(outcome(stranger, { action: 'account.read' })).toBe('allow');
    const administer = { action: 'account.administer', accountId: HOST } as const;
    expect([accountAdmin, coAdmin, connectAdmin].map((s) => outcome(s, administer))).toEqual([
      'allow',
      'allow',
      'allow',
    ]);
    expect([member, supplierAdmin, stranger].map((s) => outcome(s, administer))).toEqual(['deny', 'deny', 'deny']);
  });

  it('§9 account.readDetails: members and IMS admins of the account; an account’s name is all others read', () => {
    const details = { action: 'account.readDetails', accountId: HOST } as const;
    const hostMember: Subject = {
      viewer: { id: 'carol', email: 'c@x', homeAccountId: HOST },
      rolesByAccount: new Map(),
    };
    expect([hostMember, connectAdmin, supplierAdmin, stranger].map((s) => outcome(s, details))).toEqual([
      'allow',
      'allow',
      'deny',
      'deny',
    ]);
  });

  it('ID-4 role management: ACCOUNT_ADMIN any; CO_ADMINISTRATOR all but ACCOUNT_ADMIN and not on one; CONNECT_SERVICES_ADMIN none', () => {
    const manage = (role: ImsRole, targetRoles: ImsRole[] = []) =>
      ({ action: 'account.manageRole', accountId: HOST, role, targetRoles }) as const;
    expect(outcome(accountAdmin, manage('ACCOUNT_ADMIN', ['ACCOUNT_ADMIN']))).toBe('allow');
    expect(outcome(coAdmin, manage('CO_ADMINISTRATOR'))).toBe('allow');
    expect(outcome(coAdmin, manage('ACCOUNT_ADMIN'))).toBe('deny');
    expect(outcome(coAdmin, manage('CONNECT_SERVICES_ADMIN', ['ACCOUNT_ADMIN']))).toBe('deny');
    expect(outcome(connectAdmin, manage('CONNECT_SERVICES_ADMIN'))).toBe('deny');
    expect(outcome(supplierAdmin, manage('CONNECT_SERVICES_ADMIN'))).toBe('deny');
  });

  it('ID-4 removing a member needs the right to revoke each of their roles', () => {
    const remove = (targetRoles: ImsRole[]) =>
      ({ action: 'account.removeMember', accountId: HOST, targetRoles }) as const;
    expect(outcome(connectAdmin, remove([]))).toBe('allow');
    expect(outcome(connectAdmin, remove(['CONNECT_SERVICES_ADMIN']))).toBe('deny');
    expect(outcome(coAdmin, remove(['CO_ADMINISTRATOR', 'CONNECT_SERVICES_ADMIN']))).toBe('allow');
    expect(outcome(coAdmin, remove(['ACCOUNT_ADMIN']))).toBe('deny');
    expect(outcome(accountAdmin, remove(['ACCOUNT_ADMIN']))).toBe('allow');
    expect(outcome(member, remove([]))).toBe('deny');
  });

  it('§9 user.read: yourself, IMS admins of the home account or of an account related to them; else hidden', () => {
    const read = (relatedAccountIds: string[] = [], homeAccountId: string | null = SUPPLIER) =>
      ({ action: 'user.read', userId: 'erin', homeAccountId, relatedAccountIds }) as const;
    expect(outcome(as('erin'), read())).toBe('allow');
    expect(outcome(supplierAdmin, read())).toBe('allow');
    expect(outcome(accountAdmin, read())).toBe('hide');
    expect(outcome(accountAdmin, read([HOST]))).toBe('allow');
    expect(outcome(member, read([HOST]))).toBe('hide');
  });

  it('§9 user.readRoles: the user and their home account’s IMS admins; nothing to hide for the unaffiliated', () => {
    const roles = (homeAccountId: string | null) =>
      ({ action: 'user.readRoles', userId: 'erin', homeAccountId }) as const;
    expect(outcome(supplierAdmin, roles(SUPPLIER))).toBe('allow');
    expect(outcome(accountAdmin, roles(SUPPLIER))).toBe('deny');
    expect(outcome(accountAdmin, roles(null))).toBe('allow');
  });

  it('ID-5 / ID-6 / §10 associations, entitlements and audit entries are hidden from those who may not read them', () => {
    const association = (action: 'association.read' | 'association.remove') =>
      ({ action, accountId: HOST, userId: 'erin' }) as const;
    expect(outcome(as('erin'), association('association.read'))).toBe('allow');
    expect(outcome(as('erin'), association('association.remove'))).toBe('deny');
    expect(outcome(connectAdmin, association('association.remove'))).toBe('allow');
    expect(outcome(supplierAdmin, association('association.remove'))).toBe('hide');
    expect(outcome(supplierAdmin, { action: 'entitlement.read', accountId: HOST })).toBe('hide');
    expect(outcome(connectAdmin, { action: 'entitlement.read', accountId: HOST })).toBe('allow');
    expect(outcome(supplierAdmin, { action: 'auditEntry.read', accountIds: [HOST, SUPPLIER] })).toBe('allow');
    expect(outcome(member, { action: 'auditEntry.read', accountIds: [HOST] })).toBe('hide');
  });

  it('LIC-5 / LIC-9 checkouts: ACCOUNT_ADMIN and CO_ADMINISTRATOR issue and check in; the user reads and checks in their own', () => {
    const issue = { action: 'checkout.issue', accountId: HOST } as const;
    expect([accountAdmin, coAdmin, connectAdmin, member].map((s) => outcome(s, issue))).toEqual([
      'allow',
      'allow',
      'deny',
      'deny',
    ]);
    const checkIn = { action: 'checkout.checkIn', accountId: HOST, email: 'frank@example.test' } as const;
    expect(outcome(stranger, checkIn)).toBe('allow');
    expect(outcome(coAdmin, checkIn)).toBe('allow');
    expect(outcome(connectAdmin, checkIn)).toBe('deny');
    expect(outcome(supplierAdmin, checkIn)).toBe('hide');
    const read = { action: 'checkout.read', accountId: HOST, email: 'frank@example.test' } as const;
    expect([stranger, connectAdmin, supplierAdmin].map((s) => outcome(s, read))).toEqual(['allow', 'allow', 'hide']);
  });

  it('DS-1 / LIC-3 data sources: owner admins administer; licensing-owner admins read but may not administer; others see nothing', () => {
    const facts = { ownerAccountId: HOST, licensingOwnerAccountId: SUPPLIER };
    expect(outcome(connectAdmin, { action: 'dataSource.administer', ...facts })).toBe('allow');
    expect(outcome(supplierAdmin, { action: 'dataSource.read', ...facts })).toBe('allow');
    expect(outcome(supplierAdmin, { action: 'dataSource.administer', ...facts })).toBe('deny');
    expect(outcome(member, { action: 'dataSource.read', ...facts })).toBe('hide');
    expect(outcome(member, { action: 'dataSource.administer', ...facts })).toBe('hide');
    expect(
      outcome(supplierAdmin, { action: 'dataSource.read', ownerAccountId: HOST, licensingOwnerAccountId: null }),
    ).toBe('hide');
    expect(outcome(member, { action: 'dataSource.create', accountId: HOST })).toBe('deny');
    expect(outcome(connectAdmin, { action: 'dataSource.create', accountId: HOST })).toBe('allow');
    const dsUser = { action: 'dataSourceUser.read', ownerAccountId: HOST, identity: 'frank@example.test' } as const;
    expect([stranger, connectAdmin, member].map((s) => outcome(s, dsUser))).toEqual(['allow', 'allow', 'hide']);
  });

  it('§3 explaining for another user: owner IMS admins, about a user they may read', () => {
    const explain = (subjectReadable: boolean) =>
      ({ action: 'access.explainFor', ownerAccountId: HOST, subjectReadable }) as const;
    expect(outcome(accountAdmin, explain(true))).toBe('allow');
    expect(outcome(accountAdmin, explain(false))).toBe('hide');
    expect(outcome(member, explain(true))).toBe('deny');
  });

  it('LIC-3 requests: both sides read; the requested side answers, the owner side cancels; strangers see nothing', () => {
    const facts = { ownerAccountId: HOST, requestedAccountId: SUPPLIER };
    const of = (
      action: 'licensingOwnerRequest.read' | 'licensingOwnerRequest.answer' | 'licensingOwnerRequest.cancel',
    ) => [connectAdmin, supplierAdmin, member].map((s) => outcome(s, { action, ...facts }));
    expect(of('licensingOwnerRequest.read')).toEqual(['allow', 'allow', 'hide']);
    expect(of('licensingOwnerRequest.answer')).toEqual(['deny', 'allow', 'hide']);
    expect(of('licensingOwnerRequest.cancel')).toEqual(['allow', 'deny', 'hide']);
  });

  it('§9 every decision names its rule and a reason', () => {
    const d = decide(member, { action: 'dataSource.create', accountId: HOST });
    expect(d.rule).toBe('DS-1');
    expect(d.reason.length).toBeGreaterThan(10);
  });
});
