export type ErrorInfo = { code: string, message: string, };
