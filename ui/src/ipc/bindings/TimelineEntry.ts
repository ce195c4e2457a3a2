export type TimelineEntry = { at: number, what: string, detail: string | null, };
