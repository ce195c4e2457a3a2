import type { LocationSource } from "./LocationSource";
import type { ReportKind } from "./ReportKind";

export type ReportDraft = { kind: ReportKind, category: string, lat: number, lon: number, accuracyM: number | null, source: LocationSource, capturedAt: number, description: string | null, };
