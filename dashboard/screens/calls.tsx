import type { ReactNode } from 'react';
import type { ScreenProps } from './index.ts';

export function Calls({ company }: ScreenProps): ReactNode {
  return <h2>Calls of {company.name}</h2>;
}
