#!/usr/bin/env python3
"""Writes the hand-made seed corpora of the fuzz targets (see FUZZING.md for the input layout).

Run from anywhere: python3 make_seeds.py. Each seed is [flags][n][n chunk lengths - 1][body]. The
files are committed; findings of real fuzzing runs are added next to them as crash-*/seed-* files
and are not produced by this script.
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, method, name, flags, body, cuts=()):
    d = os.path.join(HERE, target + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    data = bytes([flags, len(cuts)]) + bytes(c - 1 for c in cuts) + body
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def frame(opcode, payload, fin=True, rsv=0, mask=None, length_form=None):
    first = (0x80 if fin else 0) | rsv | opcode
    n = len(payload)
    m = 0x80 if mask is not None else 0
    if length_form == 16 or (length_form is None and 126 <= n < 65536):
        head = bytes([first, m | 126]) + struct.pack(">H", n)
    elif length_form == 64 or (length_form is None and n >= 65536):
        head = bytes([first, m | 127]) + struct.pack(">Q", n)
    else:
        head = bytes([first, m | n])
    if mask is None:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def deflate_raw(data, wbits=15, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -wbits)
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b"\x00\x00\xff\xff")
    return out[:-4]


KEY = bytes([0x37, 0xFA, 0x21, 0x3D])

# ---- wire seeds, unmasked (as a client receives them); masked copies go to the server role
HELLO_CMP = bytes.fromhex("f248cdc9c90700")
WIRE = {
    # RFC 6455 §5.7
    "rfc6455-text-hello": frame(1, b"Hello"),
    "rfc6455-fragmented-hello": frame(1, b"Hel", fin=False) + frame(0, b"lo"),
    "rfc6455-ping-hello": frame(9, b"Hello"),
    "rfc6455-pong-hello": frame(10, b"Hello"),
    "rfc6455-binary-256": frame(2, bytes(range(256))),
    "rfc6455-binary-65536": frame(2, bytes(i * 7 & 0xFF for i in range(65536))),
    # Autobahn-like cases (sections 1-7 of the fuzzing server's test suite)
    "ab1-empty-text-and-binary": frame(1, b"") + frame(2, b""),
    "ab1-text-125-126-127": frame(1, b"*" * 125) + frame(1, b"*" * 126) + frame(1, b"*" * 127),
    "ab2-ping-125": frame(9, b"\xfe" * 125),
    "ab2-ping-126": frame(9, b"\xfe" * 126),
    "ab2-unsolicited-pong-then-ping": frame(10, b"unsolicited") + frame(9, b"x"),
    "ab3-rsv1-text": frame(1, b"Hello", rsv=0x40),
    "ab3-rsv7-ping": frame(9, b"", rsv=0x70),
    "ab4-reserved-opcode-3": frame(3, b""),
    "ab4-reserved-opcode-11": frame(11, b"x"),
    "ab5-fragmented-ping": frame(9, b"x", fin=False),
    "ab5-ping-between-fragments": frame(1, b"frag1", fin=False) + frame(9, b"ping") + frame(0, b"frag2"),
    "ab5-continuation-first": frame(0, b"x"),
    "ab5-new-message-inside-fragmented": frame(1, b"a", fin=False) + frame(1, b"b"),
    "ab5-many-empty-fragments": frame(1, b"", fin=False) + frame(0, b"", fin=False) * 20 + frame(0, b""),
    "ab6-utf8-kosme": frame(1, "κόσμε".encode()),
    "ab6-utf8-split-across-fragments": frame(1, "κό".encode()[:3], fin=False) + frame(0, "κόσμε".encode()[3:]),
    "ab6-invalid-utf8-fail-fast": frame(1, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited"),
    "ab6-truncated-utf8": frame(1, b"\xe2\x82"),
    "ab7-close-1000-reason": frame(8, b"\x03\xe8" + b"bye"),
    "ab7-close-empty": frame(8, b""),
    "ab7-close-one-byte": frame(8, b"\x03"),
    "ab7-close-code-1005": frame(8, b"\x03\xed"),
    "ab7-close-code-4999": frame(8, b"\x13\x87"),
    "ab7-close-bad-utf8-reason": frame(8, b"\x03\xe8\xff"),
    "ab7-data-after-close": frame(8, b"\x03\xe8") + frame(1, b"late"),
    "ab9-length-not-minimal-16": frame(1, b"short", length_form=16),
    "ab9-length-not-minimal-64": frame(1, b"x" * 200, length_form=64),
    "ab9-length-64-msb": bytes([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]),
    "ab9-length-over-limit": bytes([0x82, 127, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF]),
    "truncated-header": bytes([0x81]),
    "truncated-extended-length": bytes([0x82, 126, 0x01]),
    # RFC 7692 §7.2.3 (compressed, with RSV1)
    "rfc7692-hello": frame(1, HELLO_CMP, rsv=0x40),
    "rfc7692-hello-fragmented": frame(1, HELLO_CMP[:3], fin=False, rsv=0x40) + frame(0, HELLO_CMP[3:]),
    "rfc7692-hello-twice-context-takeover": frame(1, HELLO_CMP, rsv=0x40) + frame(1, bytes.fromhex("f200110000"), rsv=0x40),
    "rfc7692-stored-block": frame(1, bytes.fromhex("000500faff48656c6c6f00"), rsv=0x40),
    "rfc7692-bfinal": frame(1, bytes.fromhex("f348cdc9c90700"), rsv=0x40),
    "rfc7692-empty-compressed": frame(2, b"", rsv=0x40),
    "rfc7692-rsv1-on-continuation": frame(1, HELLO_CMP[:3], fin=False, rsv=0x40) + frame(0, HELLO_CMP[3:], rsv=0x40),
    "rfc7692-corrupt": frame(2, b"\xff\xff\xff\xff", rsv=0x40),
    "deflate-bomb-zeros": frame(2, deflate_raw(bytes(300_000)), rsv=0x40),
}

for name, wire in WIRE.items():
    masked = b""
    # Re-frame with a mask for the server role by parsing our own frames back.
    i = 0
    while i < len(wire):
        b0, b1 = wire[i], wire[i + 1] if i + 1 < len(wire) else None
        if b1 is None:
            masked += wire[i:]
            break
        n = b1 & 0x7F
        h = 2
        if n == 126:
            n = struct.unpack(">H", wire[i + 2:i + 4])[0] if i + 4 <= len(wire) else 0
            h = 4
        elif n == 127:
            n = struct.unpack(">Q", wire[i + 2:i + 10])[0] if i + 10 <= len(wire) else 0
            h = 10
        payload = wire[i + h:i + h + n]
        masked += bytes([b0, b1 | 0x80]) + wire[i + 2:i + h] + KEY + bytes(x ^ KEY[j % 4] for j, x in enumerate(payload))
        i += h + n
    compressed = name.startswith("rfc7692") or name.startswith("deflate")
    deflate_bit = 0x02 if compressed else 0
    for method in ("frameDecoder", "messageReader"):
        write("FrameReaderFuzzTest", method, name + "-client", 0x01 | deflate_bit, wire)
        write("FrameReaderFuzzTest", method, name + "-server", deflate_bit, masked, cuts=(3, 1, 7))
    write("FrameReaderFuzzTest", "messageReader", name + "-client-fragments-small", 0x01 | 0x04 | 0x08 | 0x10 | deflate_bit, wire, cuts=(2,))
    write("FrameReaderFuzzTest", "messageReader", name + "-server-no-context-direct", 0x20 | 0x10 | deflate_bit, masked, cuts=(5, 250))

# ---- inflation: the body is the compressed payload; flags bits 0-3 pick the limit
LIMIT_1000, LIMIT_16384, LIMIT_1M, LIMIT_0, LIMIT_100 = 4, 9, 14, 0, 3
INFLATE = {
    "rfc7692-hello": (LIMIT_1000, HELLO_CMP),
    "rfc7692-hello-limit-4": (2 | 0x80, HELLO_CMP),
    "rfc7692-stored-block-text": (LIMIT_100 | 0x40, bytes.fromhex("000500faff48656c6c6f00")),
    "rfc7692-bfinal-twice": (LIMIT_1000 | 0x80, bytes.fromhex("f348cdc9c90700")),
    "empty": (LIMIT_0 | 0x80, b""),
    "bomb-300k-zeros-limit-16k": (LIMIT_16384, deflate_raw(bytes(300_000))),
    "bomb-300k-zeros-limit-16k-fragments": (LIMIT_16384 | 0x10, deflate_raw(bytes(300_000))),
    "bomb-limit-1m-twice-no-context": (LIMIT_1M | 0x20 | 0x80, deflate_raw(bytes(1_000_000))),
    "exactly-4096": (5 + 1, deflate_raw(b"a" * 4096)),
    "exactly-limit-4095": (5, deflate_raw(b"a" * 4095)),
    "one-over-limit-4096": (6, deflate_raw(b"a" * 4097)),
    "exactly-16384-fragments": (9 | 0x10, deflate_raw(bytes(range(256)) * 64)),
    "invalid-utf8-text": (LIMIT_1000 | 0x40, deflate_raw(b"abc\xed\xa0\x80def")),
    "corrupt-after-output": (LIMIT_1000, deflate_raw(b"hello hello hello")[:-2] + b"\xff\xff"),
    "reserved-block-type": (LIMIT_1000, b"\x07\x00"),
    "context-takeover-twice": (LIMIT_1000 | 0x80, deflate_raw(b"the same words, the same words")),
    "window-8": (LIMIT_16384, deflate_raw(bytes(i % 251 for i in range(5000)), wbits=9)),
}
for name, (flags, payload) in INFLATE.items():
    write("InflateFuzzTest", "inflation", name, flags, payload)
    write("InflateFuzzTest", "inflation", name + "-fragmented", flags, payload, cuts=(1, 3, 200))

# ---- WindowedDeflater: flags bits 0-2 window bits - 8, bit 3 no context, bits 4-5 out size, bit 6 direct, bit 7 stretch
TEXT = b"WebSocket is a computer communications protocol, providing full-duplex communication channels over a single TCP connection. " * 3
for bits in range(8):
    write("DeflaterFuzzTest", "windowedDeflater", "text-window-%d" % (8 + bits), bits | 0x30, TEXT)
    write("DeflaterFuzzTest", "windowedDeflater", "stretched-window-%d-no-context" % (8 + bits), bits | 0x08 | 0x80 | 0x20, bytes(range(256)) * 2 + TEXT)
write("DeflaterFuzzTest", "windowedDeflater", "messages-takeover-out-1", 0x07, TEXT, cuts=(10, 20, 3, 40))
write("DeflaterFuzzTest", "windowedDeflater", "messages-no-context-out-7-direct", 0x08 | 0x10 | 0x40, TEXT, cuts=(50, 2, 7, 9))
write("DeflaterFuzzTest", "windowedDeflater", "empty", 0x00, b"")
write("DeflaterFuzzTest", "windowedDeflater", "period-257-window-8", 0x80 | 0x30, bytes(i % 257 % 256 for i in range(257)) + b"\x05")
write("DeflaterFuzzTest", "windowedDeflater", "zeros", 0x33, bytes(3000))

# ---- UTF-8: flags bit 0 direct
UTF8 = {
    "ascii": b"Hello, world! " * 4,
    "kosme": "κόσμε".encode(),
    "all-lengths": "a\u00e9\u20ac\U0001F600".encode() * 3,
    "boundaries": "\u007f\u0080\u07ff\u0800\uffff\U00010000\U0010FFFF".encode(),
    "overlong-c0": b"\xc0\x80",
    "overlong-e0": b"\xe0\x80\x80",
    "overlong-f0": b"\xf0\x80\x80\x80",
    "surrogate-ed-a0": b"ok\xed\xa0\x80",
    "above-10ffff": b"\xf4\x90\x80\x80",
    "f5": b"\xf5\x80\x80\x80",
    "lone-continuation": b"abc\x80",
    "truncated-3": b"\xe2\x82",
    "truncated-4": b"\xf0\x9f\x98",
    "cut-by-ascii": b"\xe2\x82A",
    "long-ascii-then-bad": b"abcdefgh" * 10 + b"\xff",
}
for name, text in UTF8.items():
    write("Utf8FuzzTest", "agreesWithTheJdk", name, 0, text)
    write("Utf8FuzzTest", "agreesWithTheJdk", name + "-split-direct", 1, text, cuts=(1, 2, 3))

# ---- server handshake: flags bits 0-1 head limit (8192, 64, 300, 1024), bit 2 direct
def request(lines, method="GET", target="/chat", version="HTTP/1.1"):
    return ("%s %s %s\r\n" % (method, target, version) + "".join(l + "\r\n" for l in lines) + "\r\n").encode("latin-1")

RFC_HEADERS = ["Host: server.example.com", "Upgrade: websocket", "Connection: Upgrade",
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: http://example.com",
               "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Version: 13"]
SERVER = {
    "rfc6455-request": (0, request(RFC_HEADERS)),
    "rfc7692-offer": (0, request(RFC_HEADERS + ["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate; server_max_window_bits=10"])),
    "post-405": (0, request(RFC_HEADERS, method="POST")),
    "http10-505": (0, request(RFC_HEADERS, version="HTTP/1.0")),
    "http2-505": (0, request(RFC_HEADERS, version="HTTP/2.0")),
    "version-8-426": (0, request(RFC_HEADERS[:-1] + ["Sec-WebSocket-Version: 8"])),
    "no-version-426": (0, request(RFC_HEADERS[:-1])),
    "bad-key-400": (0, request(["Sec-WebSocket-Key: short" if h.startswith("Sec-WebSocket-Key") else h for h in RFC_HEADERS])),
    "no-host-400": (0, request(RFC_HEADERS[1:])),
    "absolute-uri": (0, request(RFC_HEADERS, target="http://server.example.com/chat?x=1")),
    "asterisk-target": (0, request(RFC_HEADERS, target="*")),
    "obs-fold": (0, request(RFC_HEADERS[:3] + ["X-Folded: a", " b"] + RFC_HEADERS[3:])),
    "too-large-431-limit-64": (1, request(RFC_HEADERS)),
    "too-large-431-limit-300": (2, request(RFC_HEADERS + ["X-Padding: " + "p" * 300])),
    "bare-lf": (0, b"GET /chat HTTP/1.1\nHost: a\n\n"),
    "pipelined-frame": (0, request(RFC_HEADERS) + frame(1, b"Hello", mask=KEY)),
    "duplicate-key": (3, request(RFC_HEADERS + ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="])),
    "bad-extension": (0, request(RFC_HEADERS + ["Sec-WebSocket-Extensions: permessage-deflate; ;"])),
}
for name, (flags, head) in SERVER.items():
    write("HandshakeFuzzTest", "serverHandshake", name, flags, head)
    write("HandshakeFuzzTest", "serverHandshake", name + "-split", flags | 4, head, cuts=(1, 17, 2))

def response(lines, status="101 Switching Protocols"):
    return ("HTTP/1.1 %s\r\n" % status + "".join(l + "\r\n" for l in lines) + "\r\n").encode("latin-1")

RFC_RESPONSE = ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                "Sec-WebSocket-Protocol: chat"]
CLIENT = {
    "rfc6455-response": response(RFC_RESPONSE),
    "rfc7692-answer": response(RFC_RESPONSE + ["Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10; client_max_window_bits=9"]),
    "deflate-answer-twice": response(RFC_RESPONSE + ["Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate"]),
    "deflate-answer-bad-bits": response(RFC_RESPONSE + ["Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16"]),
    "unoffered-extension": response(RFC_RESPONSE + ["Sec-WebSocket-Extensions: x-webkit-deflate-frame"]),
    "wrong-accept": response(RFC_RESPONSE[:2] + ["Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA="]),
    "unoffered-subprotocol": response(RFC_RESPONSE[:3] + ["Sec-WebSocket-Protocol: mqtt"]),
    "status-400": response(["Content-Length: 0"], status="400 Bad Request"),
    "status-no-reason": response(RFC_RESPONSE, status="101 "),
    "frames-after-head": response(RFC_RESPONSE) + frame(1, b"Hello"),
}
for name, head in CLIENT.items():
    write("HandshakeFuzzTest", "clientHandshake", name, 0, head)
    write("HandshakeFuzzTest", "clientHandshake", name + "-split-limit-64", 1 | 4, head, cuts=(3, 1))

# ---- extensions: byte 0 flags, the rest the header text (LF separates header lines)
EXT = [
    "permessage-deflate",
    "permessage-deflate; client_max_window_bits",
    "permessage-deflate; client_max_window_bits=10; server_max_window_bits=12; server_no_context_takeover; client_no_context_takeover",
    "permessage-deflate; server_max_window_bits=10, permessage-deflate",
    "permessage-deflate; client_max_window_bits=\"10\"",
    "permessage-deflate; client_max_window_bits=\"1\\0\"",
    "foo; bar=\"baz\", x-webkit-deflate-frame",
    "mux; max-channels=4; flow-control, deflate-stream",
    "permessage-deflate\npermessage-deflate; server_no_context_takeover",
    "permessage-deflate; server_max_window_bits=7",
    "permessage-deflate; server_max_window_bits=08",
    "permessage-deflate; unknown_param",
    "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
    " , permessage-deflate ,, ",
    "permessage-deflate; bar=\"",
    "a;b=\"c d\"",
    "",
]
for i, text in enumerate(EXT):
    write("ExtensionHeaderFuzzTest", "parsePrintParse", "ext-%02d" % i, (i * 5) & 0xFF, text.encode("latin-1"))
