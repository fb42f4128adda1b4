import type { ReactNode } from 'react';
import type { ScreenProps } from './index.ts';

export function Backfill({ company }: ScreenProps): ReactNode {
  return <h2>Backfill of {company.name}</h2>;
}
