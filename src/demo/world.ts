// The demo world: a small, believable set of organizations and people, loaded into a new empty
// database through the same services the API uses (so every rule holds and the audit log is real).
import { count } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type UserRow, users } from '../db/schema.js';
import * as identity from '../services/identity.js';

export interface DemoUser {
  email: string;
  name: string;
  role: string;
}

/** Everyone in the demo world, with what they are there for (printed at start with their tokens). */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'alice@harbor-eng.example', name: 'Alice Harbor', role: 'Harbor Engineering ACCOUNT_ADMIN (host firm)' },
  { email: 'bob@harbor-eng.example', name: 'Bob Keel', role: 'Harbor Engineering CO_ADMINISTRATOR' },
  { email: 'carol@harbor-eng.example', name: 'Carol Mast', role: 'Harbor Engineering member, no IMS role' },
  { email: 'dave@northwind-survey.example', name: 'Dave North', role: 'Northwind Surveying ACCOUNT_ADMIN (supplier)' },
  {
    email: 'erin@northwind-survey.example',
    name: 'Erin Wind',
    role: 'Northwind Surveying member, associated with Harbor Engineering',
  },
  { email: 'frank@freelance.example', name: 'Frank Loose', role: 'unaffiliated freelancer' },
];

export function isEmptyDatabase(db: Db): boolean {
  return (db.select({ n: count() }).from(users).get()?.n ?? 0) === 0;
}

/** Loads the demo world. Call only on an empty database. */
export function loadDemoWorld(db: Db, now: Date): void {
  const person = (email: string, usageCountry: string): UserRow => {
    const demo = DEMO_USERS.find((u) => u.email === email);
    return identity.registerProfile(db, { email, subject: email, name: demo?.name ?? null }, { usageCountry }, now);
  };
  const as = (actor: UserRow) => ({ db, actor, now });
  const nextYear = `${now.getUTCFullYear() + 1}-12-31`;

  const alice = person('alice@harbor-eng.example', 'US');
  const bob = person('bob@harbor-eng.example', 'US');
  const carol = person('carol@harbor-eng.example', 'GB');
  const dave = person('dave@northwind-survey.example', 'DE');
  const erin = person('erin@northwind-survey.example', 'DE');
  person('frank@freelance.example', 'FR');

  const harbor = identity.createAccount(as(alice), {
    name: 'Harbor Engineering',
    emailDomains: ['harbor-eng.example', 'harbor-eng.co.example'],
  });
  for (const member of [bob, carol]) {
    identity.addAccountMember(as(alice), { accountId: harbor.id, email: member.email });
  }
  identity.grantImsRole(as(alice), { accountId: harbor.id, userId: bob.id, role: 'CO_ADMINISTRATOR' });

  const northwind = identity.createAccount(as(dave), {
    name: 'Northwind Surveying',
    emailDomains: ['northwind-survey.example'],
  });
  identity.addAccountMember(as(dave), { accountId: northwind.id, email: erin.email });

  for (const [productCode, country] of [
    ['PW_EXPLORER', 'US'],
    ['PW_EXPLORER', 'GB'],
    ['MICROSTATION', 'US'],
  ] as const) {
    identity.addEntitlement(as(alice), { accountId: harbor.id, productCode, country, contractEndDate: nextYear });
  }
  identity.addEntitlement(as(dave), {
    accountId: northwind.id,
    productCode: 'PW_EXPLORER',
    country: 'DE',
    contractEndDate: nextYear,
  });

  identity.associateExternalUser(as(alice), { accountId: harbor.id, email: erin.email });
}
