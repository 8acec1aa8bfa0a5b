/**
 * HKube's streaming wire (data-plane §4.2): signal bytes, frame builders and parsers, flow validation.
 *
 * @module
 */
export { STREAM_SIGNAL, SIGNAL_FRAME, readSignal, type StreamSignal } from './signals.js';
export { StreamFrameError, type StreamFrameSender } from './errors.js';
export { validateStreamFlow } from './flow.js';
export {
  encodeReadyFrames,
  encodeDoneFrames,
  encodeStreamFlow,
  encodeMessageFrames,
  encodeNoMessageFrames,
  parseConsumerFrames,
  parseProducerFrames,
  createStreamFlowReader,
  createConsumerNameReader,
  type ConsumerNameRead,
  type ConsumerNameReader,
  type StreamFlowReader,
  type ConsumerMessage,
  type ProducerMessage,
} from './frames.js';
