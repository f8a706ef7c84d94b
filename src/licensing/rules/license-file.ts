// LIC-7 license files: canonical JSON (RFC 8785, via `canonicalize`) signed with Ed25519
// (node:crypto). This module is all a verifier needs: `npm run verify-license` uses it offline with
// only the public key. No home-made crypto: signing and verifying are node:crypto's.
import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { PRODUCT_VERSION } from './checkouts.js';

/** The file format version; a verifier refuses any other. */
export const LICENSE_FORMAT = 1;
/** The only signature algorithm; a verifier must check it (no "alg: none" tricks). */
export const LICENSE_ALG = 'Ed25519';

const isoInstant = z.iso.datetime({ offset: false });

const licenseContent = z
  .object({
    checkoutId: z.string().min(1),
    issuer: z.object({ accountId: z.string().min(1), name: z.string().min(1) }).strict(),
    email: z.string().min(3),
    machineName: z.string().min(1),
    products: z
      .array(z.object({ product: z.string().min(1), version: z.string().regex(PRODUCT_VERSION) }).strict())
      .min(1),
    entitlementCountry: z.string().length(2),
    issuedAt: isoInstant,
    expiresAt: isoInstant,
  })
  .strict();

export type LicenseContent = z.infer<typeof licenseContent>;

const licenseFile = z
  .object({
    format: z.number(),
    alg: z.string(),
    license: z.unknown(),
    signature: z.string(),
  })
  .strict();

/** The bytes that are signed: everything in the file but the signature, canonicalized. */
function signedBytes(license: unknown): Buffer {
  return Buffer.from(canonicalize({ format: LICENSE_FORMAT, alg: LICENSE_ALG, license }) ?? '', 'utf8');
}

/** The file text around a signature: canonical JSON, so any changed byte changes what was signed. */
function fileText(content: LicenseContent, signature: Buffer): string {
  return (
    canonicalize({
      format: LICENSE_FORMAT,
      alg: LICENSE_ALG,
      license: content,
      signature: signature.toString('base64url'),
    }) ?? ''
  );
}

/** Produces the license file text. */
export function signLicense(content: LicenseContent, privateKey: KeyObject): string {
  return fileText(content, sign(null, signedBytes(content), privateKey));
}

/**
 * The same file as signLicense, but the Ed25519 signature is computed on libuv's thread pool
 * (node:crypto's callback form), so issuing thousands of files (LIC-8) leaves the event loop free.
 */
export function signLicenseOffThread(content: LicenseContent, privateKey: KeyObject): Promise<string> {
  const bytes = signedBytes(content);
  return new Promise((resolve, reject) => {
    sign(null, bytes, privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(fileText(content, signature));
    });
  });
}

export type VerifyFailure = { ok: false; code: 'INVALID_LICENSE_FILE' | 'INVALID_SIGNATURE'; reason: string };
export type VerifyResult = { ok: true; license: LicenseContent } | VerifyFailure;

/** LIC-7 / LIC-10: checks format, algorithm and signature; returns the license only when all hold. */
export function verifyLicenseFile(text: string, publicKey: KeyObject | string): VerifyResult {
  const fail = (code: VerifyFailure['code'], reason: string): VerifyFailure => ({ ok: false, code, reason });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('INVALID_LICENSE_FILE', 'the file is not a license file (not JSON, or cut short)');
  }
  const file = licenseFile.safeParse(parsed);
  if (!file.success) return fail('INVALID_LICENSE_FILE', 'the file is not a license file (unexpected structure)');
  if (file.data.format !== LICENSE_FORMAT) {
    return fail(
      'INVALID_LICENSE_FILE',
      `unsupported license file format ${file.data.format} (expected ${LICENSE_FORMAT})`,
    );
  }
  if (file.data.alg !== LICENSE_ALG) {
    return fail('INVALID_LICENSE_FILE', `unsupported signature algorithm "${file.data.alg}" (expected ${LICENSE_ALG})`);
  }
  const signature = Buffer.from(file.data.signature, 'base64url');
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  if (signature.length !== 64 || !verify(null, signedBytes(file.data.license), key, signature)) {
    return fail('INVALID_SIGNATURE', 'the signature does not match: the file was changed or not issued with this key');
  }
  const license = licenseContent.safeParse(file.data.license);
  if (!license.success) return fail('INVALID_LICENSE_FILE', 'the signed license has an unexpected structure');
  return { ok: true, license: license.data };
}
