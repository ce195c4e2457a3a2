import type { ErrorInfo } from "./ErrorInfo";

export type SyncOutcome = { ok: boolean, sent: number, received: number, error: ErrorInfo | null, at: number, };
