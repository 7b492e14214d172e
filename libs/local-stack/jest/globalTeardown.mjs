// Jest globalTeardown paired with globalSetup.mjs: stops the emulators it started.
export default async function globalTeardown() {
  await globalThis.__TALLY_EMULATORS__?.stop();
  globalThis.__TALLY_EMULATORS__ = undefined;
}
