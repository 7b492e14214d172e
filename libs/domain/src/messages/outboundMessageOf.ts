import type { OutboundMessage } from '../ports/MessageSink';
import { messageIdOf, serializeOutputMessage } from './outputMessages';
import type { MessageOrigin } from './outputMessages';
import type { OutputMessage } from './outputMessageTypes';

/**
 * Prepares an output message for the {@link MessageSink}: its exact JSON body, its origin (the
 * revision, or the upload, it is about) and its stable id.
 *
 * @example
 * outboundMessageOf({ batchId: '2024-06-01', revision: 3 }, customerMessage).id; // the same on every re-run
 */
export const outboundMessageOf = (
  origin: MessageOrigin,
  message: OutputMessage,
): OutboundMessage => {
  const body = serializeOutputMessage(message);
  return { ...origin, type: message.type, id: messageIdOf(origin, body), body };
};
