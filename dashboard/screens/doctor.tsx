import type { ReactNode } from 'react';
import type { ScreenProps } from './index.ts';

export function Doctor({ company }: ScreenProps): ReactNode {
  return <h2>Doctor of {company.name}</h2>;
}
