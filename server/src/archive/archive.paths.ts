/**
 * Makes an entry name safe to use as a relative path under an import folder, or says in plain
 * words why it is not. Archives from other systems carry Windows separators, drive letters and
 * `..` segments (zip-slip); macOS writes decomposed (NFD) Unicode, which would otherwise make the
 * same name compare unequal to what a person types.
 */
export function safeEntryPath(raw: string): { path: string } | { refused: string } {
  if (raw.includes('\0')) return { refused: 'name contains a NUL byte' };
  let name = raw.replaceAll('\\', '/');
  if (name.startsWith('//')) return { refused: 'absolute path (network share)' };
  if (name.startsWith('/')) return { refused: 'absolute path' };
  if (/^[A-Za-z]:/.test(name)) return { refused: 'absolute path (drive letter)' };
  while (name.startsWith('./')) name = name.slice(2);
  // `a//b` and `a/./b` name the same file as `a/b`; keeping them would let two entries collide
  // under different spellings.
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { refused: 'path leaves the archive (..)' };
  if (segments.length === 0) return { refused: 'empty path' };
  return { path: segments.join('/').normalize('NFC') };
}
