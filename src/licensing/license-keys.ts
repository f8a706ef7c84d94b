// LIC-7 signing key: from configuration (THRESHOLD_LICENSE_KEY, a PEM private key), else generated on
// first start and kept in the database. The private key never leaves this module's callers: only the
// public key is published (licenseSigningKey).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type Db, inTransaction } from '../db/client.js';
import { one } from '../db/query.js';
import { serverKeys } from '../db/schema.js';

const KEY_NAME = 'license-signing';

declare module '../graphql/context.js' {
  interface AreaContext {
    /** LIC-7: the license signing key (its private half is used by use cases only, never returned). */
    signingKey: SigningKey;
  }
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

function fromPrivatePem(pem: string, origin: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${origin} is not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${origin} must be an Ed25519 key (found ${privateKey.asymmetricKeyType ?? 'unknown'})`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export async function loadSigningKey(
  db: Db,
  configuredPem: string | undefined,
  now: Date = new Date(),
): Promise<SigningKey> {
  if (configuredPem) return fromPrivatePem(configuredPem, 'THRESHOLD_LICENSE_KEY');
  const stored = await one(db.select().from(serverKeys).where(eq(serverKeys.name, KEY_NAME)));
  if (stored) return fromPrivatePem(stored.privateKeyPem, 'the stored license signing key');
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // onConflictDoNothing + re-read: two instances starting at once agree on one key.
  const kept = await inTransaction(db, async (tx) => {
    await tx.insert(serverKeys).values({ name: KEY_NAME, privateKeyPem: pem, createdAt: now }).onConflictDoNothing();
    return one(tx.select().from(serverKeys).where(eq(serverKeys.name, KEY_NAME)));
  });
  return fromPrivatePem(kept?.privateKeyPem ?? pem, 'the stored license signing key');
}
