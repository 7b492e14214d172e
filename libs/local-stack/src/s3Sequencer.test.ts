import { createS3Sequencer } from './s3Sequencer';

describe('createS3Sequencer', () => {
  it('gives fixed-width upper-case hex that increases per bucket even within one millisecond', () => {
    const nextSequencer = createS3Sequencer(() => 1_717_243_200_000);
    const sequencers = [nextSequencer('a'), nextSequencer('a'), nextSequencer('a')];
    expect(sequencers).toEqual(['00000619D2D6EDD000', '00000619D2D6EDD001', '00000619D2D6EDD002']);
  });

  it('keeps one sequence per bucket', () => {
    const nextSequencer = createS3Sequencer(() => 1_717_243_200_000);
    nextSequencer('a');
    expect(nextSequencer('b')).toBe('00000619D2D6EDD000');
  });

  it('follows the clock when it moves on', () => {
    let now = 1_717_243_200_000;
    const nextSequencer = createS3Sequencer(() => now);
    const first = nextSequencer('a');
    now += 1;
    const second = nextSequencer('a');
    expect(second > first).toBe(true);
    expect(second).toBe('00000619D2D6EDD3E8');
  });
});
