import type { AccountState } from "./AccountState";
import type { Lang } from "./Lang";

export type AppState = { account: AccountState, lang: Lang, largeText: boolean, lastSyncAt: number | null, pendingOps: number, };
