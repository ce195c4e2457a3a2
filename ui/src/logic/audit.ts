// The safety audit's form: nine ratings, all needed before the audit can be saved.
import type { AuditParameter, Lang } from '../ipc/bindings';

export type Ratings = readonly (number | null)[];

export const emptyRatings = (n: number): Ratings => Array.from({ length: n }, () => null);

/** The ratings as the app sends them, once every parameter has one; null before. */
export function completeRatings(ratings: Ratings): number[] | null {
  return ratings.length > 0 && ratings.every((r) => r !== null) ? (ratings as number[]) : null;
}

export const ratedCount = (ratings: Ratings): number => ratings.filter((r) => r !== null).length;

export const parameterName = (p: AuditParameter, lang: Lang): string => (lang === 'id' ? p.nameId : p.nameEn);

export const rubric = (p: AuditParameter, lang: Lang): readonly string[] => (lang === 'id' ? p.rubricId : p.rubricEn);
