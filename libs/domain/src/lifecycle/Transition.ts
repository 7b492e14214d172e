import type { BatchState } from './BatchState';

/**
 * The result of a lifecycle transition: the state to write (absent when nothing changes) and
 * what the caller learns. Transitions are pure: the same state and input give the same result,
 * so a conflicting concurrent write is handled by running the transition again on the new state.
 */
export interface Transition<O> {
  readonly next?: BatchState;
  readonly outcome: O;
}
