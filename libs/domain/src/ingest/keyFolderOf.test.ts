import { keyFolderOf } from './keyFolderOf';

describe('keyFolderOf', () => {
  it.each([
    ['incoming/2024-06/notes.txt', 'incoming/', '2024-06'],
    ['incoming/2024-06/notes.txt', 'incoming', '2024-06'],
    ['incoming/orders.csv', 'incoming/', ''],
    ['incoming//orders.csv', 'incoming/', ''],
    ['elsewhere/b1/orders.csv', 'incoming/', ''],
    ['b1/orders.csv', '', 'b1'],
  ])('finds in %j under %j the folder %j', (key, prefix, folder) => {
    expect(keyFolderOf(key, prefix)).toBe(folder);
  });
});
