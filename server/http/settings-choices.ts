/**
 * The settings screen's reads (lib/api/contract-settings.ts): what each CRM's
 * settings pick from, read live through the CRM's REST client, and the
 * company's Aircall numbers and tags, read live through Aircall's.
 */
import type { FastifyInstance } from 'fastify';
import type { AircallClient } from '../../lib/aircall/client.ts';
import { ApiError } from '../../lib/api/errors.ts';
import { hasSettingsChoices } from '../../lib/crm/choices.ts';
import { NeedsReconnection } from '../../lib/crm/adapter.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { integrationSettingsSchema } from '../../lib/logging/settings-union.ts';
import { connectorOf } from '../connectors/index.ts';
import type { Services } from '../services.ts';
import { type Integration, integrationOf } from '../store/companies.ts';
import { companyOr404 } from './admin.ts';
import { handle } from './register.ts';

/**
 * The integration whose CRM is read. Before its settings are first saved
 * (JA-INST-1: the settings screen comes right after connecting), the
 * connection alone is enough: the adapter is built with the defaults.
 */
async function integrationFor(svc: Services, companyId: string, crm: Crm): Promise<Integration> {
  const saved = await integrationOf(svc.db, companyId, crm);
  if (saved) return saved;
  return {
    id: `${companyId}:${crm}`,
    company_id: companyId,
    crm,
    settings: integrationSettingsSchema.parse({ crm }),
    warnings: [],
    created_at: 0,
    updated_at: 0,
  };
}

/** A vendor's refusal or absence, as the API's one error shape with what to do. */
function unreachable(label: string, err: unknown, fix: string): never {
  if (err instanceof NeedsReconnection) {
    throw new ApiError(
      409,
      'needs_reconnection',
      `Cannot read ${label}'s settings choices: ${err.message}.`,
      {
        fix: `Connect ${label} again on the Connections screen.`,
      },
    );
  }
  if (err instanceof VendorError) {
    throw new ApiError(
      502,
      'vendor_failed',
      `${label} did not answer the settings' choices: ${err.message}`,
      {
        fix,
      },
    );
  }
  throw err;
}

async function aircallOf(svc: Services, companyId: string): Promise<AircallClient> {
  await companyOr404(svc, companyId);
  const client = await svc.aircall(companyId);
  if (!client) {
    throw new ApiError(409, 'aircall_not_connected', `Company "${companyId}" has not connected Aircall.`, {
      fix: 'Connect Aircall with an API key on the Connections screen.',
    });
  }
  return client;
}

const AIRCALL_FIX = 'Check the Aircall connection on the Connections screen, then reload.';

export function settingsChoicesRoutes(app: FastifyInstance, svc: Services): void {
  handle(app, svc, 'settingsChoices', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    const { label } = connectorOf(params.crm);
    try {
      const adapter = await svc.adapter(await integrationFor(svc, params.companyId, params.crm));
      if (!hasSettingsChoices(adapter)) {
        throw new ApiError(501, 'unsupported', `This backend cannot read ${label}'s settings choices.`);
      }
      return await adapter.settingsChoices();
    } catch (err) {
      return unreachable(label, err, `Check that ${label} is reachable and still connected, then reload.`);
    }
  });

  handle(app, svc, 'aircallNumbers', async ({ params }) => {
    const client = await aircallOf(svc, params.companyId);
    try {
      const numbers = await client.listNumbers();
      return {
        numbers: numbers.map((n) => {
          // GEN-NUM-2: Aircall's API does not publish IVR routing; the sandbox adds it (sandbox/aircall/objects.ts).
          const raw = (n as Record<string, unknown>).sandbox_ivr_destinations;
          return {
            id: n.id,
            name: n.name ?? `Number ${n.id}`,
            digits: n.digits ?? '',
            country: n.country ?? null,
            isIvr: n.is_ivr ?? false,
            ivrDestinationIds: Array.isArray(raw)
              ? raw.filter((d): d is number => typeof d === 'number')
              : [],
          };
        }),
      };
    } catch (err) {
      return unreachable('Aircall', err, AIRCALL_FIX);
    }
  });

  handle(app, svc, 'aircallTags', async ({ params }) => {
    const client = await aircallOf(svc, params.companyId);
    try {
      return { tags: (await client.listTags()).map((t) => ({ id: t.id, name: t.name })) };
    } catch (err) {
      return unreachable('Aircall', err, AIRCALL_FIX);
    }
  });
}
