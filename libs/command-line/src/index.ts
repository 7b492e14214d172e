export { defineCommand } from './CommandSpec';
export type {
  CommandSpec,
  ExitCodeSpec,
  FlagOption,
  NumberOption,
  OptionSpec,
  OptionValues,
  PositionalSpec,
  PositionalValues,
  StringOption,
} from './CommandSpec';
export { processIo, writeText } from './CommandIo';
export type { CommandIo } from './CommandIo';
export {
  EXIT_USAGE,
  formatColumns,
  formatExitCodes,
  formatUsage,
  USAGE_EXIT_CODE,
  usageLine,
} from './formatUsage';
export { parseCommandLine } from './parseCommandLine';
export type { ParsedCommandLine } from './parseCommandLine';
export {
  describeError,
  EXIT_FAILURE,
  executeCommand,
  executeCommandAsProcess,
} from './executeCommand';
export type { CommandAction, CommandRun, CommandRunOf } from './executeCommand';
export { statusLineOn } from './statusLine';
export type { StatusLine } from './statusLine';
export { UsageError } from './UsageError';
