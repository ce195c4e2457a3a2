export type CommandError = { code: string, message: string, count: number | null, };
