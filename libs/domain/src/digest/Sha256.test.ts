import { createHash, randomBytes } from 'node:crypto';
import { TallyUsageError } from '../errors/TallyUsageError';
import { Sha256 } from './Sha256';

const nodeHex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('Sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('hashes %p as FIPS 180-4 says', (text, hex) => {
    expect(new Sha256().update(Buffer.from(text)).hex()).toBe(hex);
  });

  it('agrees with node:crypto at every length around the block and padding edges', () => {
    const bytes = randomBytes(200);
    for (let length = 0; length <= 200; length++) {
      expect(new Sha256().update(bytes.subarray(0, length)).hex()).toBe(
        nodeHex(bytes.subarray(0, length)),
      );
    }
  });

  it('gives the digest of all the bytes however they are split and resumed', () => {
    const bytes = randomBytes(10_000);
    for (const cuts of [[1], [63, 64, 65], [100, 5_000, 9_999], [4_096, 8_192]]) {
      let hash = new Sha256();
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        hash.update(bytes.subarray(from, cut));
        hash = Sha256.resume(JSON.parse(JSON.stringify(hash.state())));
        from = cut;
      }
      expect(hash.hex()).toBe(nodeHex(bytes));
    }
  });

  it('goes on after a digest is taken', () => {
    const hash = new Sha256().update(Buffer.from('ab'));
    expect(hash.hex()).toBe(nodeHex(Buffer.from('ab')));
    expect(hash.update(Buffer.from('c')).hex()).toBe(nodeHex(Buffer.from('abc')));
  });

  it('refuses a state it did not save', () => {
    expect(() => Sha256.resume({ words: [1, 2], pending: '', length: 0 })).toThrow(TallyUsageError);
    expect(() =>
      Sha256.resume({ words: [0, 0, 0, 0, 0, 0, 0, 0], pending: 'AA==', length: 64 }),
    ).toThrow('not a saved SHA-256 state');
  });
});
