/**
 * Which flow `sendMessage` uses (data-plane §4.3, pipeline-semantics §4), and how stream values become
 * bytes and back: `DISCOVERY_ENCODING` with the 8-byte `HK` header, raw bytes as data type 1
 * (the stored-data framing of `@hkube-ts/protocol`).
 *
 * @module
 */

import { NoSuchFlowError } from '@hkube-ts/codeapi';
import { decodeStoredPayload, encodeStored, type Codec, type HeaderedPayload, type ParsedFlow, type StreamFlowStep } from '@hkube-ts/protocol';
import { StreamMessageDecodeError } from './errors.js';

/** The flow settings of a task (`parsedFlow`, `defaultFlow` of `initialize`). */
export interface FlowSettings {
  readonly nodeName: string;
  readonly parsedFlow?: ParsedFlow | undefined;
  readonly defaultFlow?: string | undefined;
}

/**
 * The flow of one outgoing message: `parsedFlow[flowName]` when a name is given; else the flow of the
 * input being handled (`incoming`); else `parsedFlow[defaultFlow]`.
 *
 * @throws {NoSuchFlowError} an unknown name, or no usable default flow.
 */
export function resolveFlow(settings: FlowSettings, flowName: string | undefined, incoming: readonly StreamFlowStep[] | undefined): readonly StreamFlowStep[] {
  if (flowName === undefined && incoming !== undefined) return incoming;
  const name = flowName ?? settings.defaultFlow;
  const flow = name === undefined ? undefined : settings.parsedFlow?.[name];
  if (flow === undefined || !Object.hasOwn(settings.parsedFlow ?? {}, name ?? '')) throw new NoSuchFlowError(name, settings.nodeName);
  return flow;
}

/** Encodes one stream value (throws `EncodeError` for values the codec cannot carry). */
export function encodeStreamValue(value: unknown, codec: Codec): HeaderedPayload {
  return encodeStored(value, codec);
}

/**
 * Decodes one received stream value.
 *
 * @throws {StreamMessageDecodeError} bytes that are not a value of `codec` (or carry a bad header).
 */
export function decodeStreamValue(payload: Uint8Array, header: Uint8Array, codec: Codec, origin: string): unknown {
  const decoded = decodeStoredPayload(payload, header, codec);
  if (!decoded.ok) throw new StreamMessageDecodeError(origin, { cause: decoded.error });
  return decoded.value;
}
