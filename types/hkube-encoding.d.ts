// Types for @hkube/encoding 2.0.1 (the oracle our differential tests compare with; it ships none).
declare module '@hkube/encoding' {
  export type EncodingType = 'json' | 'bson' | 'msgpack' | 'protoc';
  export const EncodingTypes: EncodingType[];
  export class Encoding {
    constructor(options: { type: string });
    readonly isBinary: boolean;
    readonly headerLength: number;
    encode(value: unknown, options?: { customEncode?: boolean }): Buffer | string;
    decode(value: Buffer | Uint8Array | string, options?: { customEncode?: boolean }): unknown;
    encodeHeaderPayload(value: unknown): { header: Buffer; payload: Buffer | string };
    decodeHeaderPayload(header: Uint8Array, payload: Uint8Array | string): unknown;
    createHeader(dataType: number, protocolType: number): Buffer;
  }
}
