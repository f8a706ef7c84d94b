import { z } from 'zod';
import { builder } from '../../graphql/builder.js';
import { describedValues, machineNameInput } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { type InstalledRow, installedLicensesPage } from '../loaders.js';
import { checkoutStatus } from '../rules/checkouts.js';
import * as checkouts from '../service.js';
import { LicenseCheckout } from './checkout.js';

export const InstalledLicenseStatusEnum = builder.enumType('InstalledLicenseStatus', {
  description: 'RESERVED: the license counts (LIC-1.1). CHECKED_IN / EXPIRED: it no longer does.',
  values: describedValues(['RESERVED', 'CHECKED_IN', 'EXPIRED'] as const, {
    RESERVED: 'The checkout is active: it decides who pays for your sign-ins on that machine (LIC-1.1).',
    CHECKED_IN: 'The checkout has been checked in (LIC-9): it no longer counts.',
    EXPIRED: 'The checkout has expired: it no longer counts.',
  }),
});

export const InstalledLicenseType = builder.objectRef<InstalledRow>('InstalledLicense').implement({
  description: 'A license file imported into the license tool on a machine (LIC-10).',
  fields: (t) => ({
    machineName: t.exposeString('machineName', { description: 'The machine it was imported on.' }),
    importedAt: t.expose('importedAt', { type: 'DateTime', description: 'When it was imported (UTC).' }),
    status: t.field({
      type: InstalledLicenseStatusEnum,
      description: 'RESERVED while its checkout is active; CHECKED_IN or EXPIRED afterwards.',
      resolve: (i, _args, ctx) => {
        const s = checkoutStatus(i.checkout, ctx.now);
        return s === 'ACTIVE' ? 'RESERVED' : s;
      },
    }),
    checkout: t.field({
      type: LicenseCheckout,
      description: 'The checkout the license file is of.',
      resolve: (i) => i.checkout,
    }),
  }),
});

builder.objectField('User', 'installedLicenses', (t) =>
  t.connection({
    type: InstalledLicenseType,
    nullable: true,
    description:
      "Licenses you imported into the license tool (LIC-10), newest first. Only on your own profile (viewer); null on anyone else's.",
    resolve: async (u, args, ctx) => (ctx.viewer?.id === u.id ? await installedLicensesPage(ctx.db, args, u.id) : null),
  }),
);

export const ImportLicenseFileInput = builder.inputType('ImportLicenseFileInput', {
  description:
    'LIC-10: a license file issued to you, and the machine importing it. Checked in order: INVALID_LICENSE_FILE, INVALID_SIGNATURE, WRONG_USER, WRONG_MACHINE, EXPIRED, CHECKED_IN.',
  fields: (t) => ({
    file: t.string({
      required: true,
      description: 'The license file’s contents, as issued (at most 100 kB).',
      validate: z.string().min(1, 'the file is empty').max(100_000, 'the file is larger than 100 kB'),
    }),
    machineName: t.string({
      required: true,
      description: 'This machine; it must be the one the file names (WRONG_MACHINE).',
      validate: machineNameInput,
    }),
  }),
});

export const ImportSuccess = builder.objectRef<{ installed: InstalledRow }>('ImportLicenseFileSuccess').implement({
  description: 'The license is listed as RESERVED in your installed licenses and now decides who pays (LIC-1.1).',
  fields: (t) => ({
    installedLicense: t.field({
      type: InstalledLicenseType,
      description: 'The imported license (importing the same file again returns the existing import).',
      resolve: (r) => r.installed,
    }),
  }),
});

defineMutation('importLicenseFile', {
  description: 'LIC-10: the license tool imports a license file issued to you for this machine.',
  input: ImportLicenseFileInput,
  inputDescription: 'The file and this machine.',
  success: ImportSuccess,
  authz: ['self'],
  resolve: async (input, ctx) => ({
    installed: await checkouts.importLicenseFile(ctx.service(), ctx.signingKey, input),
  }),
});
