import type { ReportKind } from "./ReportKind";

export type CategoryInfo = { code: string, kinds: Array<ReportKind>, nameId: string, nameEn: string, emergency: boolean, icon: string, };
