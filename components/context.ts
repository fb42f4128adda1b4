/** The panel's store, handed to every component (one store per mounted panel). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PanelState, PanelStore } from './store.ts';

export const StoreContext = createContext<PanelStore | null>(null);

/** Select from the panel's store. */
export function usePanel<T>(select: (s: PanelState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePanel outside <StoreContext.Provider>');
  return useStore(store, select);
}
