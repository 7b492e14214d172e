import { randomBytes } from 'node:crypto';
import type { EmulatorEndpoints } from '../emulators.mjs' with { 'resolution-mode': 'import' };

/**
 * The emulators started by libs/local-stack/jest/globalSetup.mjs, read from the environment
 * it sets. Fails naming the missing variable when a Jest config lacks that globalSetup.
 */
export const testEmulatorEndpoints = (): EmulatorEndpoints => {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value)
      throw new Error(
        `${name} is not set: add libs/local-stack/jest/globalSetup.mjs to the Jest config`,
      );
    return value;
  };
  return {
    s3: read('TALLY_TEST_S3_ENDPOINT'),
    sqs: read('TALLY_TEST_SQS_ENDPOINT'),
    dynamodb: read('TALLY_TEST_DYNAMODB_ENDPOINT'),
  };
};

/** A resource-name prefix no other test uses (tests share the emulators), e.g. `tally-t3f9a01c2`. */
export const uniqueStackName = (): string => `tally-t${randomBytes(4).toString('hex')}`;
