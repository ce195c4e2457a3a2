export type LocationSource = "gps" | "network" | "map_pick" | "sms";
