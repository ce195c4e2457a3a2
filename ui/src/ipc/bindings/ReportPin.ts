import type { ReportKind } from "./ReportKind";
import type { ReportStatus } from "./ReportStatus";

export type ReportPin = { id: string, lat: number, lon: number, kind: ReportKind, status: ReportStatus, category: string, };
