import type { ReactNode } from 'react';
import type { ScreenProps } from './index.ts';

export function Connections({ company }: ScreenProps): ReactNode {
  return <h2>Connections of {company.name}</h2>;
}
