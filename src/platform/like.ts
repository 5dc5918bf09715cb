/** `%text%` for a case-insensitive LIKE on lower(…), with the user's `%`, `_` and `\` taken literally. */
export const containsPattern = (text: string): string =>
  `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
