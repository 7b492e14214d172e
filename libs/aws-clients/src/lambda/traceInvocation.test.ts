import { Tracer } from '@aws-lambda-powertools/tracer';
import { annotateBatch, traceInvocation } from './traceInvocation';

describe('traceInvocation', () => {
  const tracer = new Tracer({ enabled: false });

  it('runs the work and returns its result when tracing is off', async () => {
    expect(await traceInvocation(tracer, '## test', async () => 42)).toBe(42);
  });

  it('passes the work’s error through', async () => {
    await expect(
      traceInvocation(tracer, '## test', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it('annotates nothing, and throws nothing, when tracing is off', () => {
    expect(() => annotateBatch(tracer, 'b1', 'items')).not.toThrow();
  });
});
