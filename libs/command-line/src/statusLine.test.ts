import { statusLineOn } from './statusLine';

const terminal = (isTTY: boolean) => {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY, write: (text: string) => writes.push(text) } as never,
  };
};

describe('statusLineOn', () => {
  it('draws nothing when the stream is not a terminal', () => {
    const { writes, stream } = terminal(false);
    const line = statusLineOn(stream);
    line.show('50 messages');
    line.clear();
    expect(writes).toEqual([]);
  });

  it('redraws in place at most once per interval and erases the line when cleared', () => {
    const { writes, stream } = terminal(true);
    let now = 0;
    const line = statusLineOn(stream, { intervalMs: 100, now: () => now });
    line.show('1 message');
    now = 50;
    line.show('2 messages');
    now = 100;
    line.show('3 messages');
    line.clear();
    line.clear();
    expect(writes).toEqual(['\r\x1b[K1 message', '\r\x1b[K3 messages', '\r\x1b[K']);
  });
});
