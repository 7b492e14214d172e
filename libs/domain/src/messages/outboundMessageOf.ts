import type { OutboundMessage } from '../ports/MessageSink';
import { messageIdOf, serializeOutputMessage } from './outputMessages';
import type { OutputMessage } from './outputMessageTypes';

/**
 * Prepares an output message for the {@link MessageSink}: its exact JSON body and its stable id.
 *
 * @example
 * outboundMessageOf('2024-06-01', customerMessage).id; // the same on every re-run
 */
export const outboundMessageOf = (batchId: string, message: OutputMessage): OutboundMessage => {
  const body = serializeOutputMessage(message);
  return { batchId, type: message.type, id: messageIdOf(batchId, body), body };
};
