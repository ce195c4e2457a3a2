// The daily patrol's words: an RT or RW named within its kelurahan, as people say it.

/** `31.71.01.1001/RW 003/RT 007` → `RW 003 · RT 007`; a code without RW or RT stays as it is. */
export function patrolAreaLabel(area: string): string {
  const parts = area.split('/');
  return parts.length > 1 ? parts.slice(1).join(' · ') : area;
}
