// Jest globalSetup shared by every project's integration tests: starts the emulators once per
// Jest run and publishes their endpoints through process.env, which Jest workers inherit.
// Tests share them, so each test creates its own resources under a unique name.
import { startEmulators } from '../src/emulators.mjs';

export default async function globalSetup() {
  const emulators = await startEmulators();
  // Only globalTeardown can read globals set here (it runs in the same process).
  globalThis.__TALLY_EMULATORS__ = emulators;
  process.env.TALLY_TEST_S3_ENDPOINT = emulators.endpoints.s3;
  process.env.TALLY_TEST_SQS_ENDPOINT = emulators.endpoints.sqs;
  process.env.TALLY_TEST_DYNAMODB_ENDPOINT = emulators.endpoints.dynamodb;
}
