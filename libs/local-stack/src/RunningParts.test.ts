import { RunningParts } from './RunningParts';

describe('RunningParts', () => {
  it('stops every part in reverse order, and rethrows the first failure after the rest', async () => {
    const stopped: string[] = [];
    const parts = new RunningParts();
    parts.add({ stop: () => stopped.push('emulators') });
    parts.add({
      stop: async () => {
        stopped.push('proxy');
        throw new Error('proxy would not close');
      },
    });
    parts.add({ stop: () => stopped.push('pollers') });
    await expect(parts.stopAll()).rejects.toThrow('proxy would not close');
    expect(stopped).toEqual(['pollers', 'proxy', 'emulators']);
  });

  it('stops each part once', async () => {
    const stop = jest.fn();
    const parts = new RunningParts();
    parts.add({ stop });
    await parts.stopAll();
    await parts.stopAll();
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
