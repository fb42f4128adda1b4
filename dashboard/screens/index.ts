/** The dashboard's screens, in tab order; each one owns its file. */
import type { FC } from 'react';
import type { CompanyView } from '../app.tsx';
import { Backfill } from './backfill.tsx';
import { Calls } from './calls.tsx';
import { Connections } from './connections.tsx';
import { Doctor } from './doctor.tsx';
import { Integrations } from './integrations.tsx';
import { Tokens } from './tokens.tsx';

export interface ScreenProps {
  company: CompanyView;
}

export const SCREENS = {
  connections: { label: 'Connections', component: Connections },
  integrations: { label: 'Integrations', component: Integrations },
  calls: { label: 'Calls', component: Calls },
  backfill: { label: 'Backfill', component: Backfill },
  doctor: { label: 'Doctor', component: Doctor },
  tokens: { label: 'Agent tokens', component: Tokens },
} satisfies Record<string, { label: string; component: FC<ScreenProps> }>;

export type ScreenId = keyof typeof SCREENS;
