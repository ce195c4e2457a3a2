import type { ReportStatus } from "./ReportStatus";

export type NearbyReport = { id: string, category: string, status: ReportStatus, description: string | null, distanceM: number, createdAt: number, };
