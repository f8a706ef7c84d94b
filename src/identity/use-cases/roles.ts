// ID-4: granting and revoking IMS roles.
import { and, eq } from 'drizzle-orm';
import { assertAuthorized } from '../../authz/authorize.js';
import { inTransaction, type Reader } from '../../db/client.js';
import { type ImsRole, imsRoles, type UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { assertKeepsAccountAdmin } from '../rules.js';
import type { AccountUserInput } from './accounts.js';
import { accountFacts, auditAccount, countAccountAdmins, memberOf, memberRoles, requireImsAdmin } from './shared.js';

// ---------------------------------------------------------------------------------------------
// ID-4 IMS roles

export interface RoleInput extends AccountUserInput {
  role: ImsRole;
}

/** ID-4: the account, the member and their roles, once the actor may manage `input.role` for them. */
export async function roleChange(tx: Reader, actor: UserRow, input: RoleInput) {
  const account = await accountFacts(tx, input.accountId);
  const subject = await requireImsAdmin(tx, actor, account);
  const user = await memberOf(tx, account, input.userId);
  const targetRoles = await memberRoles(tx, account.id, user.id);
  assertAuthorized(subject, { action: 'account.manageRole', accountId: account.id, role: input.role, targetRoles });
  return { account, user, targetRoles };
}

export async function grantImsRole({ db, actor, now }: ServiceContext, input: RoleInput): Promise<UserRow> {
  return inTransaction(db, async (tx) => {
    const { account, user, targetRoles } = await roleChange(tx, actor, input);
    if (targetRoles.includes(input.role)) {
      throw new AppError('ROLE_ALREADY_HELD', `${user.email} already holds ${input.role}`, ['input', 'role']);
    }
    await tx.insert(imsRoles).values({ accountId: account.id, userId: user.id, role: input.role, createdAt: now });
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'grantImsRole',
      [{ type: 'User', id: user.id }],
      `${actor.email} granted ${input.role} in ${account.name} to ${user.email}`,
    );
    return user;
  });
}

export async function revokeImsRole({ db, actor, now }: ServiceContext, input: RoleInput): Promise<UserRow> {
  return inTransaction(db, async (tx) => {
    const { account, user, targetRoles } = await roleChange(tx, actor, input);
    if (!targetRoles.includes(input.role)) {
      throw new AppError('ROLE_NOT_HELD', `${user.email} does not hold ${input.role}`, ['input', 'role']);
    }
    if (input.role === 'ACCOUNT_ADMIN') assertKeepsAccountAdmin((await countAccountAdmins(tx, account.id)) - 1);
    await tx
      .delete(imsRoles)
      .where(and(eq(imsRoles.accountId, account.id), eq(imsRoles.userId, user.id), eq(imsRoles.role, input.role)));
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'revokeImsRole',
      [{ type: 'User', id: user.id }],
      `${actor.email} revoked ${input.role} in ${account.name} from ${user.email}`,
    );
    return user;
  });
}
