export { testEmulatorEndpoints, uniqueStackName } from './testEmulatorEndpoints';
