import type { ObjectLocation } from '../ports/ObjectSource';

/**
 * Names one upload of an object: its S3 version id on a versioned bucket, else its event's
 * sequencer and eTag (a later upload of a key has a greater sequencer; the eTag names content).
 * Staged rows, message ids and revisions refer to uploads by this name.
 *
 * @example
 * objectVersionOf({ ...location, versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }); // '3HL4kq…'
 * objectVersionOf({ ...location, sequencer: '0055aed6', eTag: '"9b2cf5"' }); // '0055AED6-9b2cf5'
 */
export const objectVersionOf = (location: ObjectLocation): string =>
  location.versionId !== undefined && location.versionId !== '' && location.versionId !== 'null'
    ? location.versionId
    : `${location.sequencer.toUpperCase()}-${location.eTag.replace(/"/g, '')}`;
