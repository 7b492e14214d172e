/**
 * The batch folder a key names, as far as it names one: used as the `batch_id` of an error
 * about a key that is not a valid batch key. Empty when the key has no folder under the prefix.
 *
 * @example
 * keyFolderOf('incoming/2024-06/notes.txt', 'incoming/'); // '2024-06'
 */
export const keyFolderOf = (key: string, prefix: string): string => {
  // The prefix is a folder, as parseBatchKey reads it: `incoming` and `incoming/` are one.
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!key.startsWith(folder)) return '';
  const rest = key.slice(folder.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : '';
};
