/**
 * The app card's entrypoint (aircall-calls-hsmeta.json): HubSpot renders it
 * in the contact record's sidebar (location crm.record.sidebar).
 */
import { hubspot } from '@hubspot/ui-extensions';
import { CallsCard } from './CallsCard';

hubspot.extend<'crm.record.sidebar'>(() => <CallsCard />);
