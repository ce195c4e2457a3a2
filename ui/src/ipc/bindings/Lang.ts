export type Lang = "id" | "en";
