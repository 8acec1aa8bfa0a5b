#!/usr/bin/env python3
"""A stream peer that frames messages like HKube's Python wrapper (data-plane spec section 4.2).

Our own code, written from the spec, used by the interop tests of the TypeScript transport:

  producer: binds a ROUTER, answers READY with [0x04, flow, header, payload] for `count` messages and
            [0x05] after that, records the DONE durations, then prints one JSON line and exits.
  listener: a DEALER with a uuid identity sends READY [0x01, name, 0x03], receives MSG / NO_MSG, acks
            each message with DONE [0x02, name, {duration}], prints one JSON line after `count` messages.

The name, flow and ack frames are plain-encoded with --encoding (msgpack like the Python wrapper's
default DISCOVERY_ENCODING, or json). The first stdout line of the producer is {"port": <bound port>}.
"""
import argparse
import json
import sys
import time
import uuid

import zmq

READY, DONE, EMPTY, MSG, NO_MSG = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"
# 01 08 <dataType=encoded> <protocol> 00 00 'H' 'K'; protocol 3 = msgpack, 2 = json
HEADERS = {"msgpack": bytes([1, 8, 2, 3, 0, 0, 0x48, 0x4B]), "json": bytes([1, 8, 2, 2, 0, 0, 0x48, 0x4B])}


def codec(name):
    if name == "msgpack":
        import msgpack

        return (lambda value: msgpack.packb(value, use_bin_type=True)), (lambda data: msgpack.unpackb(data, raw=False))
    return (lambda value: json.dumps(value).encode("utf8")), (lambda data: json.loads(data.decode("utf8")))


def emit(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def run_producer(args):
    encode, decode = codec(args.encoding)
    context = zmq.Context()
    router = context.socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    port = router.bind_to_random_port("tcp://127.0.0.1") if args.port == 0 else args.port
    if args.port != 0:
        router.bind("tcp://127.0.0.1:%d" % port)
    emit({"port": port})
    flow = encode([{"source": "B", "next": ["C"]}])
    header = HEADERS[args.encoding]
    sent, durations, names, malformed = 0, [], [], 0
    deadline = time.time() + args.timeout
    poller = zmq.Poller()
    poller.register(router, zmq.POLLIN)
    while len(durations) < args.count and time.time() < deadline:
        if not poller.poll(100):
            continue
        frames = router.recv_multipart()
        if len(frames) != 4:  # identity + 3, as the Python producer requires
            malformed += 1
            continue
        identity, signal, name_frame, last = frames
        name = decode(name_frame)
        if name != args.consumer:
            malformed += 1
            continue
        if signal == READY:
            if sent < args.count:
                payload = encode({"i": sent, "text": "x" * args.size})
                router.send_multipart([identity, MSG, flow, header, payload])
                sent += 1
            else:
                router.send_multipart([identity, NO_MSG])
        elif signal == DONE:
            names.append(name)
            durations.append(decode(last)["duration"])
        else:
            malformed += 1
    emit({"sent": sent, "durations": durations, "names": names, "malformed": malformed})
    router.close(0)
    context.term()


def run_listener(args):
    encode, decode = codec(args.encoding)
    context = zmq.Context()
    dealer = context.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 500)
    dealer.setsockopt_string(zmq.IDENTITY, str(uuid.uuid4()))
    dealer.connect("tcp://%s:%d" % (args.host, args.port))
    name = encode(args.consumer)
    received = []
    deadline = time.time() + args.timeout
    poller = zmq.Poller()
    poller.register(dealer, zmq.POLLIN)
    dealer.send_multipart([READY, name, EMPTY])
    while len(received) < args.count and time.time() < deadline:
        if not poller.poll(1000):
            continue
        frames = dealer.recv_multipart()
        if frames[0] == NO_MSG:
            time.sleep(0.005)
        elif frames[0] == MSG and len(frames) == 4:
            start = time.time()
            received.append({"flow": decode(frames[1]), "header": list(frames[2]), "payload": decode(frames[3])})
            duration = (time.time() - start) * 1000
            dealer.send_multipart([DONE, name, encode({"duration": duration})])
        else:
            received.append({"malformed": [list(frame) for frame in frames]})
            break
        if len(received) < args.count:
            dealer.send_multipart([READY, name, EMPTY])
    emit({"received": received})
    dealer.close()
    context.term()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=["producer", "listener"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--encoding", choices=["msgpack", "json"], default="msgpack")
    parser.add_argument("--consumer", default="B")
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    if args.role == "producer":
        run_producer(args)
    else:
        run_listener(args)


if __name__ == "__main__":
    main()
