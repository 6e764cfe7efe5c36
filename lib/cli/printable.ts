/**
 * Text someone else chose (a server's certificate names, a NAS's User-Name) for a terminal: every
 * control, format (the bidi overrides U+202A–U+202E, U+2066–U+2069 among them) and line or
 * paragraph separator character written as \u{…}, so none draws a row, moves the cursor, sets the
 * terminal's title or reorders what the output shows.
 */
export const printable = (text: string): string =>
  text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`);
