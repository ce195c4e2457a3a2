// A report's description, counted the way ronda-core counts it: characters (code points), after
// `\r\n` became `\n` and the ends were trimmed.

export const DESCRIPTION_MAX_CHARS = 4000;

const normalise = (text: string): string => text.replace(/\r\n/g, '\n').trim();

export const descriptionLength = (text: string): number => [...normalise(text)].length;

export const descriptionTooLong = (text: string): boolean =>
  descriptionLength(text) > DESCRIPTION_MAX_CHARS;

/** What `create_report` gets: the trimmed text, or null when nothing was written. */
export function draftDescription(text: string): string | null {
  const clean = normalise(text);
  return clean === '' ? null : clean;
}
