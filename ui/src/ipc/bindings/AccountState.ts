export type AccountState = { "kind": "none" } | { "kind": "local" } | { "kind": "signedIn", server: string, userName: string, role: string, area: string | null, };
