import { describeStagingStoreContract } from './describeStagingStoreContract';
import { InMemoryStagingStore } from './InMemoryStagingStore';

describeStagingStoreContract('InMemoryStagingStore', (clock) => ({
  store: new InMemoryStagingStore({ now: clock.now }),
}));
