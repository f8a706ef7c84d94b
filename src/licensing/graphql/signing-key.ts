// LIC-7 in the schema: the public license-signing key, to verify license files offline.
import { builder } from '../../graphql/builder.js';
import { authzExtension } from '../../graphql/mutation.js';
import { LICENSE_ALG, LICENSE_FORMAT } from '../rules/license-file.js';

// ---------------------------------------------------------------------------------------------
// Queries

export const SigningKeyType = builder.objectRef<{ publicKeyPem: string }>('LicenseSigningKey').implement({
  description: 'LIC-7: verify license files offline with this public key (npm run verify-license).',
  fields: (t) => ({
    algorithm: t.string({
      description: 'The signature algorithm of license files: Ed25519.',
      resolve: () => LICENSE_ALG,
    }),
    format: t.int({ description: 'The license file format version.', resolve: () => LICENSE_FORMAT }),
    publicKeyPem: t.exposeString('publicKeyPem', { description: 'The Ed25519 public key, SPKI PEM.' }),
  }),
});

builder.queryField('licenseSigningKey', (t) =>
  t.field({
    extensions: authzExtension(['public']),
    type: SigningKeyType,
    description: 'The server’s public license-signing key. Public: no token needed.',
    resolve: (_root, _args, ctx) => ({ publicKeyPem: ctx.signingKey.publicKeyPem }),
  }),
);
