import type { ReactNode } from 'react';
import type { ScreenProps } from './index.ts';

export function Integrations({ company }: ScreenProps): ReactNode {
  return <h2>Integrations of {company.name}</h2>;
}
