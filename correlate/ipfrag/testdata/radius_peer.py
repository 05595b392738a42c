#!/usr/bin/env python3
"""RADIUS peers that exchange IP-fragmented packets, for the capture made by
make-radius-fragmented.sh.

  radius_peer.py server ADDR      answer each Access-Request with a large
                                  Access-Challenge (EAP-Request/TLS)
  radius_peer.py client ADDR ID   send one large Access-Request
                                  (EAP-Response/TLS) and wait for the answer

Packets follow RFC 2865 (Request/Response Authenticator), RFC 3579
(EAP-Message, Message-Authenticator) and RFC 5216 (EAP-TLS framing).
The shared secret is "testing123". Bytes are deterministic.
"""
import hashlib
import hmac
import random
import socket
import struct
import sys

SECRET = b"testing123"
PORT = 1812


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def eap_messages(eap):
    return b"".join(attr(79, eap[i:i + 253]) for i in range(0, len(eap), 253))


def eap_tls(code, ident, tls):
    # EAP-TLS with the L flag and the TLS message length (RFC 5216 3.1).
    body = bytes([13, 0x80]) + struct.pack("!I", len(tls)) + tls
    return struct.pack("!BBH", code, ident, 4 + len(body)) + body


def tls_handshake_record(rng, n):
    # A TLS 1.2 handshake record of n bytes of opaque handshake data.
    return b"\x16\x03\x03" + struct.pack("!H", n) + bytes(rng.getrandbits(8) for _ in range(n))


def packet(code, ident, authenticator, attrs):
    # Message-Authenticator is computed over the packet with itself zeroed
    # and, for a response, the request's authenticator (RFC 3579 3.2).
    attrs = attrs + attr(80, bytes(16))
    length = 20 + len(attrs)
    raw = struct.pack("!BBH", code, ident, length) + authenticator + attrs
    mac = hmac.new(SECRET, raw, hashlib.md5).digest()
    raw = raw[:-16] + mac
    return raw


def client(addr, ident):
    rng = random.Random(ident)
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(5)
    auth = bytes(rng.getrandbits(8) for _ in range(16))
    eap = eap_tls(2, 5, tls_handshake_record(rng, 3600))
    attrs = (attr(1, b"alice@example.org") + attr(31, b"02-00-00-00-00-01") +
             attr(12, struct.pack("!I", 1400)) + eap_messages(eap))
    req = packet(1, ident, auth, attrs)
    s.sendto(req, (addr, PORT))
    resp, _ = s.recvfrom(65535)
    print("client: sent %d bytes, got code %d, %d bytes" % (len(req), resp[0], len(resp)))


def server(addr):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, PORT))
    s.settimeout(20)
    while True:
        try:
            req, peer = s.recvfrom(65535)
        except socket.timeout:
            return
        ident, req_auth = req[1], req[4:20]
        rng = random.Random(1000 + ident)
        eap = eap_tls(1, 6, tls_handshake_record(rng, 2900))
        attrs = eap_messages(eap) + attr(24, b"state-%d" % ident)
        # Message-Authenticator over the response with the request's
        # authenticator, then the Response Authenticator (RFC 2865 3).
        resp = packet(11, ident, req_auth, attrs)
        resp = resp[:4] + hashlib.md5(resp[:4] + req_auth + resp[20:] + SECRET).digest() + resp[20:]
        s.sendto(resp, peer)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2])
    else:
        client(sys.argv[2], int(sys.argv[3]))
