import type { ReactNode } from 'react';
import type { ScreenProps } from './index.ts';

export function Tokens({ company }: ScreenProps): ReactNode {
  return <h2>Tokens of {company.name}</h2>;
}
