import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AppState, BandRange, CategoryInfo, StepRules } from './ipc/bindings';

export type AppContextValue = {
  state: AppState;
  /** Takes the `AppState` a command returned. */
  setState: (state: AppState) => void;
  /** Reads `app_state` again (after work that changes the pending count, a sync, …). */
  refresh: () => Promise<void>;
  categories: readonly CategoryInfo[];
  /** What each lifecycle step needs in words (ronda-core's rules). */
  stepRules: StepRules;
  /** The safety score's bands, worst first, with their scores (ronda-core's), for legends. */
  scoreBands: readonly BandRange[];
};

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
