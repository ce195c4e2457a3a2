import type { ErrorInfo } from "./ErrorInfo";
import type { ReportKind } from "./ReportKind";
import type { ReportStatus } from "./ReportStatus";
import type { SyncState } from "./SyncState";

export type MyReport = { id: string, category: string, kind: ReportKind, status: ReportStatus, description: string | null, createdAt: number, sync: SyncState, rejection: ErrorInfo | null, photosTotalBytes: number, photosSentBytes: number, };
