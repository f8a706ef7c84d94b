// LIC-7: license files verify offline with only the public key; every kind of tampering is refused.
import { generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { type LicenseContent, signLicense, verifyLicenseFile } from '../../../src/licensing/rules/license-file.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const content: LicenseContent = {
  checkoutId: '6f1c1f5e-1111-4a4a-9999-0123456789ab',
  issuer: { accountId: 'acc-1', name: 'Northwind Surveying' },
  email: 'frank@freelance.example',
  machineName: 'FRANK-LAPTOP',
  products: [
    { product: 'PW_EXPLORER', version: '10.0.3.280' },
    { product: 'MICROSTATION', version: '10.17.0.209' },
  ],
  entitlementCountry: 'DE',
  issuedAt: '2026-06-15T12:00:00.000Z',
  expiresAt: '2027-06-15T12:00:00.000Z',
};
const file = signLicense(content, privateKey);

describe('LIC-7 license files', () => {
  it('LIC-7 the file carries a format version, the algorithm, the license and a signature, as canonical JSON', () => {
    const parsed = JSON.parse(file);
    expect(parsed).toMatchObject({ format: 1, alg: 'Ed25519', license: content });
    expect(Buffer.from(parsed.signature, 'base64url')).toHaveLength(64);
    expect(canonicalize(parsed)).toBe(file);
  });

  it('LIC-7 the untouched file verifies offline with only the public key (PEM)', () => {
    expect(verifyLicenseFile(file, publicPem)).toEqual({ ok: true, license: content });
  });

  it('LIC-7 a flipped byte anywhere in the file is refused', () => {
    const bytes = Buffer.from(file, 'utf8');
    for (let i = 0; i < bytes.length; i += 1) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] ?? 0) ^ 0xff;
      const result = verifyLicenseFile(copy.toString('utf8'), publicPem);
      expect(result.ok, `byte ${i} (${String.fromCharCode(bytes[i] ?? 0)})`).toBe(false);
    }
  });

  it('LIC-7 a changed expiry (re-serialized, signature kept) is INVALID_SIGNATURE', () => {
    const parsed = JSON.parse(file);
    parsed.license.expiresAt = '2030-01-01T00:00:00.000Z';
    expect(verifyLicenseFile(JSON.stringify(parsed), publicPem)).toMatchObject({
      ok: false,
      code: 'INVALID_SIGNATURE',
    });
  });

  it('LIC-7 a file signed by another key is INVALID_SIGNATURE', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(verifyLicenseFile(signLicense(content, other), publicPem)).toMatchObject({
      ok: false,
      code: 'INVALID_SIGNATURE',
    });
  });

  it.each(['none', 'HS256', 'ed25519', 'RS256'])(
    'LIC-7 an unknown alg %j is refused before any signature check',
    (alg) => {
      const parsed = JSON.parse(file);
      parsed.alg = alg;
      expect(verifyLicenseFile(JSON.stringify(parsed), publicPem)).toMatchObject({
        ok: false,
        code: 'INVALID_LICENSE_FILE',
        reason: expect.stringMatching(/algorithm/),
      });
    },
  );

  it('LIC-7 an unknown format version is refused', () => {
    const parsed = JSON.parse(file);
    parsed.format = 2;
    expect(verifyLicenseFile(JSON.stringify(parsed), publicPem)).toMatchObject({
      ok: false,
      code: 'INVALID_LICENSE_FILE',
      reason: expect.stringMatching(/format/),
    });
  });

  it('LIC-7 truncated input is refused at every length', () => {
    for (let n = 0; n < file.length; n += 1) {
      expect(verifyLicenseFile(file.slice(0, n), publicPem).ok, `first ${n} characters`).toBe(false);
    }
  });

  it.each(['', 'garbage', '{}', '[]', 'null', '{"format":1}', Buffer.from('\u0000\u00ff binary').toString()])(
    'LIC-7 garbage %j is INVALID_LICENSE_FILE',
    (text) => {
      expect(verifyLicenseFile(text, publicPem)).toMatchObject({ ok: false, code: 'INVALID_LICENSE_FILE' });
    },
  );

  it('LIC-7 an extra field, signed or not, is refused', () => {
    const parsed = JSON.parse(file);
    parsed.note = 'hello';
    expect(verifyLicenseFile(JSON.stringify(parsed), publicPem).ok).toBe(false);
  });
});
