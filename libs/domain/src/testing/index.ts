/** In-memory fakes of the domain's ports, for unit tests of use cases and handlers. */
export { InMemoryObjectSource } from './InMemoryObjectSource';
export { InMemoryStagingStore } from './InMemoryStagingStore';
export { RecordingAggregationRequests } from './RecordingAggregationRequests';
export { RecordingIngestContinuations } from './RecordingIngestContinuations';
export { RecordingMessageSink } from './RecordingMessageSink';
export { markedRowValidators } from './markedRowValidators';
export { structuralManifestValidator } from './structuralManifestValidator';
export { describeStagingStoreContract } from './describeStagingStoreContract';
export type { StagingStoreUnderTest } from './describeStagingStoreContract';
export { largestBatchState } from './largestBatchState';
