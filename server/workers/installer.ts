/**
 * GEN-ADM-1: if the installer is deleted or loses admin rights in either
 * system, the integration becomes inactive, and the dashboard says why
 * (`inactiveReason`, plus a warning). Checked in the CRM by the adapter
 * (HubSpot settings users API, every few minutes) and in Aircall when it
 * sends `user.deleted` for the installer's email.
 */
import { installerInactiveReason } from '../../lib/logging/doctor.ts';
import type { Services } from '../services.ts';
import { type Integration, listIntegrations, saveReconciled } from '../store/companies.ts';

/** Make the integration inactive for this reason; returns it as saved (unchanged if already inactive). */
export async function deactivateForInstaller(
  svc: Services,
  integration: Integration,
  lost: { name: string; aircallAdmin: boolean; crmAdmin: boolean },
): Promise<Integration> {
  if (!integration.settings.active) return integration;
  const reason = installerInactiveReason(lost) ?? 'the installer is no longer an admin';
  const settings = { ...integration.settings, active: false, inactiveReason: reason };
  const now = svc.clock.now();
  await saveReconciled(
    svc.db,
    integration.id,
    settings,
    [{ rule: 'GEN-ADM-1', message: `Deactivated: ${reason}.`, at: now }],
    now,
  );
  svc.log.warn({ integration: integration.id, reason }, 'integration deactivated (GEN-ADM-1)');
  return { ...integration, settings };
}

/** Aircall says a user was deleted: if it is the installer, every integration of the company stops. */
export async function onAircallUserDeleted(
  svc: Services,
  companyId: string,
  email: string | null,
): Promise<void> {
  if (!email) return;
  for (const integration of await listIntegrations(svc.db, companyId)) {
    const installer = await svc.installerOf(integration);
    if (installer?.email && installer.email.toLowerCase() === email.toLowerCase()) {
      await deactivateForInstaller(svc, integration, {
        name: installer.email,
        aircallAdmin: false,
        crmAdmin: true,
      });
    }
  }
}
