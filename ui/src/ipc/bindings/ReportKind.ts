export type ReportKind = "laporan" | "rawan" | "audit";
