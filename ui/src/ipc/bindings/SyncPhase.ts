export type SyncPhase = "photos" | "push" | "pull" | "done";
