import { objectCreationRequest } from './objectCreationRequest';

describe('objectCreationRequest', () => {
  it.each([
    [
      'PUT',
      '/b/incoming/x%20y%2Bz.csv?x-id=PutObject',
      {},
      { bucket: 'b', key: 'incoming/x y+z.csv', eventName: 'ObjectCreated:Put' },
    ],
    [
      'PUT',
      '/b/incoming/a+b.csv',
      {},
      { bucket: 'b', key: 'incoming/a+b.csv', eventName: 'ObjectCreated:Put' },
    ],
    [
      'PUT',
      '/b/k.csv?x-id=CopyObject',
      { 'x-amz-copy-source': 'b/src.csv' },
      { bucket: 'b', key: 'k.csv', eventName: 'ObjectCreated:Copy' },
    ],
    [
      'POST',
      '/b/k.csv?uploadId=u1',
      {},
      { bucket: 'b', key: 'k.csv', eventName: 'ObjectCreated:CompleteMultipartUpload' },
    ],
  ])('%s %s creates an object', (method, url, headers, expected) => {
    expect(objectCreationRequest(method, url, headers)).toEqual(expected);
  });

  it.each([
    ['PUT', '/b/k.csv?partNumber=1&uploadId=u1'],
    ['PUT', '/b/k.csv?tagging'],
    ['PUT', '/b'],
    ['PUT', '/b/'],
    ['POST', '/b/k.csv?uploads'],
    ['POST', '/b?delete'],
    ['GET', '/b/k.csv'],
    ['DELETE', '/b/k.csv'],
    ['PUT', '/b/%E0%A4%A.csv'],
  ])('%s %s creates nothing', (method, url) => {
    expect(objectCreationRequest(method, url, {})).toBeUndefined();
  });
});
