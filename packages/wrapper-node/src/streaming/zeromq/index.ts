export { createZeroMqStreamTransport, type ZeroMqStreamTransportOptions } from './transport.js';
