/** nnet's version, as package.json states it (test/cli/export.test.ts holds them equal): `nnet --version` and the producer_version of exported files. */
export const NNET_VERSION = '0.1.0';
