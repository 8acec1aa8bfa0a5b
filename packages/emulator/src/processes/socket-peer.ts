/**
 * The worker's end of a real WebSocket as a {@link FramePeer}: text frames (json) are handed over as
 * strings, binary frames as bytes, exactly as HKube's worker receives them.
 */
import WebSocket from 'ws';
import type { RawFrame } from '@hkube-ts/protocol';
import type { FramePeer, PeerCloseInfo } from '../worker/backend.js';

/** Wraps an accepted `ws` socket. */
export function socketPeer(socket: WebSocket): FramePeer {
  const closeListeners: ((info: PeerCloseInfo) => void)[] = [];
  let closed: PeerCloseInfo | undefined;
  socket.on('error', () => undefined);
  socket.once('close', (code: number, reason: Buffer) => {
    closed = { code, reason: reason.toString('utf8') };
    for (const listener of closeListeners.splice(0)) listener(closed);
  });
  return {
    send(frame: string | Buffer): void {
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(frame, { binary: typeof frame !== 'string' });
    },
    onFrame(listener: (frame: RawFrame) => void): void {
      socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        listener(isBinary ? bytes : bytes.toString('utf8'));
      });
    },
    onClose(listener: (info: PeerCloseInfo) => void): void {
      if (closed !== undefined) {
        const info = closed;
        queueMicrotask(() => listener(info));
      } else {
        closeListeners.push(listener);
      }
    },
    close(code = 1000, reason = ''): void {
      if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
      socket.close(code, reason);
      // A client that never completes the closing handshake is cut off.
      setTimeout(() => socket.terminate(), 2000).unref();
    },
  };
}
