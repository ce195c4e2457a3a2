import type { ErrorInfo } from "./ErrorInfo";
import type { LocationSource } from "./LocationSource";
import type { PhotoInfo } from "./PhotoInfo";
import type { ReportKind } from "./ReportKind";
import type { ReportStatus } from "./ReportStatus";
import type { SyncState } from "./SyncState";
import type { TimelineEntry } from "./TimelineEntry";

export type ReportDetail = { id: string, category: string, kind: ReportKind, status: ReportStatus, description: string | null, lat: number, lon: number, accuracyM: number | null, source: LocationSource, createdAt: number, area: string | null, photos: Array<PhotoInfo>, timeline: Array<TimelineEntry>, sync: SyncState, rejection: ErrorInfo | null, };
