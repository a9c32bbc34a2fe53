/** "Electrónica" → "electronica": accents and other combining marks dropped, lower case. How customers' words are compared everywhere. */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
