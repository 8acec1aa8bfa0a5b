import { bsonCodec } from '../codecs/bson.js';
import { jsonCodec } from '../codecs/json.js';
import { msgpackCodec } from '../codecs/msgpack.js';
import { PROTOCOL_TYPE, type Codec, type ProtocolType } from '../codecs/types.js';

/** The codec that header byte 3 names. */
export function getCodecByProtocolType(protocolType: ProtocolType): Codec {
  switch (protocolType) {
    case PROTOCOL_TYPE.bson:
      return bsonCodec;
    case PROTOCOL_TYPE.json:
      return jsonCodec;
    case PROTOCOL_TYPE.msgpack:
      return msgpackCodec;
  }
}
