export type CreatedReport = { id: string, };
