export type SyncState = "savedOnDevice" | "waitingForSignal" | "sent" | "rejected";
