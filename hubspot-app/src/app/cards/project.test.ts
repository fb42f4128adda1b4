/**
 * The HubSpot project's configuration, checked the way `hs project upload`
 * will read it (developers.hubspot.com/docs/apps/developer-platform/
 * build-apps/app-configuration and .../app-cards/reference): platform
 * 2025.2, the card in the contact sidebar, and the backend URL the card
 * fetches listed in permittedUrls.fetch, from the same profile variable.
 */
import { describe, expect, it } from 'vitest';
import project from '../../../hsproject.json';
import profile from '../../hsprofile.prod.json';
import app from '../app-hsmeta.json';
import card from './aircall-calls-hsmeta.json';

describe('HubSpot project configuration', () => {
  it('is a 2025.2 project whose sources are in src/', () => {
    expect(project).toMatchObject({ srcDir: 'src', platformVersion: '2025.2' });
  });

  it('puts the card in the contact record sidebar, with an entrypoint that loads', async () => {
    expect(card.type).toBe('card');
    expect(card.config.location).toBe('crm.record.sidebar');
    expect(card.config.objectTypes).toEqual(['contacts']);
    expect(card.config.entrypoint).toBe('/app/cards/AircallCalls.tsx');
    await expect(import('./AircallCalls')).resolves.toBeDefined();
  });

  it("lets the card fetch the profile's BACKEND_URL, and only that, and sends OAuth back to the same backend", () => {
    expect(app.config.permittedUrls.fetch).toEqual(['${BACKEND_URL}']);
    expect(app.config.auth.redirectUrls).toEqual(['${BACKEND_URL}/oauth/hubspot/callback']);
    expect(new URL(profile.variables.BACKEND_URL).protocol).toBe('https:');
  });
});
