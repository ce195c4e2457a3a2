export type PhotoInfo = { sha256: string, width: number, height: number, dataUrl: string | null, };
