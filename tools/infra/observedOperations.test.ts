import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObservedOperation } from '@tally/local-stack';
import {
  OBSERVING_VARIABLE,
  observedOperationsFileContent,
  readObservationReports,
  readObservedOperationsFile,
  recordObservedOperations,
  sortedOperations,
} from './observedOperations';
import { observedDocumentedGrants } from './roleGrantsOf';

const SEND: ObservedOperation = {
  function: 'ingest',
  service: 'sqs',
  operation: 'SendMessage',
  resource: 'queue:aggregation',
};
const READ: ObservedOperation = {
  function: 'ingest',
  service: 's3',
  operation: 'GetObject',
  resource: 'bucket:input/incoming/*',
};
const QUERY: ObservedOperation = {
  function: 'aggregator',
  service: 'dynamodb',
  operation: 'Query',
  resource: 'table:staging',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tally-iam-'));
});
afterEach(() => {
  delete process.env[OBSERVING_VARIABLE];
  rmSync(dir, { recursive: true, force: true });
});

describe('sortedOperations', () => {
  it('keeps each operation once, sorted by function, service, operation and resource', () => {
    expect(sortedOperations([SEND, READ, QUERY, { ...SEND }])).toEqual([QUERY, READ, SEND]);
  });
});

describe('recordObservedOperations', () => {
  const listed = () => {
    const path = join(dir, 'observed-operations.json');
    writeFileSync(path, JSON.stringify(observedOperationsFileContent([READ, QUERY])));
    return path;
  };

  it('writes the report and names each operation the committed file does not list', () => {
    const problems = recordObservedOperations('e2e', [SEND, READ, SEND], {
      reportsDir: join(dir, 'reports'),
      listedIn: listed(),
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^ingest sqs SendMessage queue:aggregation: not in .*observed-operations\.json, so no role allows it; run `npm run iam:observe` and commit infra\/iam\/observed-operations\.json$/,
      ),
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'reports', 'e2e.json'), 'utf8'))).toEqual({
      source: 'e2e',
      operations: [READ, SEND],
    });
  });

  it('only writes the report under npm run iam:observe, which rewrites the file next', () => {
    process.env[OBSERVING_VARIABLE] = '1';
    const reportsDir = join(dir, 'reports');
    expect(recordObservedOperations('e2e', [SEND], { reportsDir, listedIn: listed() })).toEqual([]);
    expect(readObservationReports(reportsDir)).toEqual({ sources: ['e2e'], operations: [SEND] });
  });
});

describe('readObservationReports', () => {
  it('merges every report, naming the runs that wrote one', () => {
    process.env[OBSERVING_VARIABLE] = '1';
    const reportsDir = join(dir, 'reports');
    recordObservedOperations('reliability', [QUERY, SEND], { reportsDir });
    recordObservedOperations('e2e', [SEND, READ], { reportsDir });
    expect(readObservationReports(reportsDir)).toEqual({
      sources: ['e2e', 'reliability'],
      operations: [QUERY, READ, SEND],
    });
  });

  it('finds none where no run wrote one', () => {
    expect(readObservationReports(join(dir, 'none'))).toEqual({ sources: [], operations: [] });
  });
});

describe('infra/iam/observed-operations.json', () => {
  const committed = readObservedOperationsFile();

  it("derives each role's grants from the operations, as `npm run iam:observe` writes them", () => {
    // Fails after a change of tools/infra/iamActionsOf.ts or documentedGrants.ts until the file
    // is regenerated: `npm run iam:observe`.
    expect(committed).toEqual(observedOperationsFileContent(committed.operations));
  });

  it('documents no grant that the runs observe', () => {
    expect(observedDocumentedGrants(committed.operations)).toEqual([]);
  });
});
