/** How a token is named in a message: `'('`, `'model'`, `'h'`, `the end of the file`. */
export function quoteToken(image: string): string {
  if (image === '') return 'the end of the file';
  const shown = image.length > 24 ? `${image.slice(0, 24)}…` : image;
  return `'${shown}'`;
}
