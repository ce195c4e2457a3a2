import type { SyncPhase } from "./SyncPhase";

export type SyncProgress = { phase: SyncPhase, opsSent: number, opsReceived: number, bytesSent: number, bytesReceived: number, };
