import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStackRecord } from './localStackRecord';
import {
  isProcessRunning,
  localStackRecordPath,
  readLocalStackRecord,
  removeLocalStackRecord,
  writeLocalStackRecord,
} from './localStackRecord';

const record = {
  pid: 4242,
  startedAt: '2026-12-01T10:00:00.000Z',
  endpoints: {
    s3: 'http://127.0.0.1:3',
    sqs: 'http://127.0.0.1:1',
    dynamodb: 'http://127.0.0.1:2',
  },
  resources: { name: 'tally-local' },
} as unknown as LocalStackRecord;

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'tally-record-')), 'local.json');

describe('the local stack record', () => {
  it('lives where TALLY_LOCAL_STATE says, else in the temporary folder', () => {
    expect(localStackRecordPath({ TALLY_LOCAL_STATE: '/x/y.json' })).toBe('/x/y.json');
    expect(localStackRecordPath({})).toMatch(/^.+tally-local-.+\.json$/);
  });

  it('is written whole, for this user only, and read back while its process runs', () => {
    const path = freshPath();
    writeLocalStackRecord(path, record);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readLocalStackRecord(path, (pid) => pid === 4242)).toEqual(record);
  });

  it('is refused once its process has ended', () => {
    const path = freshPath();
    writeLocalStackRecord(path, record);
    expect(() => readLocalStackRecord(path, () => false)).toThrow(
      `the local stack recorded in ${path} is not running (process 4242 has ended): start one with \`tally local\``,
    );
  });

  it('names a file that is not a record', () => {
    const path = freshPath();
    writeFileSync(path, '{"sqs":"http://127.0.0.1:1"}');
    expect(() => readLocalStackRecord(path, () => true)).toThrow(
      `${path} is not a record of \`tally local\``,
    );
  });

  it('is removed by its own process only', () => {
    const path = freshPath();
    writeLocalStackRecord(path, record);
    removeLocalStackRecord(path, 1);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(record);
    removeLocalStackRecord(path, 4242);
    expect(existsSync(path)).toBe(false);
  });

  it('tells a running process from an ended one', () => {
    expect(isProcessRunning(process.pid)).toBe(true);
    expect(isProcessRunning(2 ** 22 + 1)).toBe(false);
  });
});
