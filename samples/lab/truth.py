#!/usr/bin/env python3
"""Ground truth for the lab captures, read from the peers' own logs.

The kind of every TLS handshake (full / abbreviated / failed), the session IDs
and the RADIUS outcome come from what the client and the server reported
themselves: eapol_test's OpenSSL message trace and "Handshake finished -
resumed=N", FreeRADIUS's debug log, openssl s_client's summary and -msg
trace, the servers' status pages and tlsfarm's log. tshark is used only to
find frame numbers (by RADIUS identifier, by TCP connection order) and, as an
independent cross-check, to compare its own reading of each handshake; its
reading never feeds the truth.

Writes NAME.truth.json, NAME.server.log and NAME.client.log (trimmed, with the
given secrets replaced) into --out-dir. Standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys

REDACTED = "<redacted>"


# ---------------------------------------------------------------- TLS bytes

def parse_hello(msg):
    """Session ID and SessionTicket extension of a ClientHello/ServerHello.

    msg is a whole handshake message (type, 24-bit length, body). Returns a
    dict with type, session_id (hex), ticket (None when the extension is
    absent, else its length).
    """
    out = {"type": None, "session_id": None, "ticket": None}
    if len(msg) < 4:
        return out
    out["type"] = msg[0]
    body = msg[4:4 + int.from_bytes(msg[1:4], "big")]
    pos = 2 + 32  # version, random
    if len(body) < pos + 1:
        return out
    sid_len = body[pos]
    pos += 1
    if len(body) < pos + sid_len:
        return out
    out["session_id"] = body[pos:pos + sid_len].hex()
    pos += sid_len
    if msg[0] == 1:  # ClientHello: cipher_suites, compression_methods
        if len(body) < pos + 2:
            return out
        pos += 2 + int.from_bytes(body[pos:pos + 2], "big")
        if len(body) < pos + 1:
            return out
        pos += 1 + body[pos]
    else:  # ServerHello: cipher_suite, compression_method
        pos += 3
    if len(body) < pos + 2:
        return out
    end = min(len(body), pos + 2 + int.from_bytes(body[pos:pos + 2], "big"))
    pos += 2
    while pos + 4 <= end:
        etype = int.from_bytes(body[pos:pos + 2], "big")
        elen = int.from_bytes(body[pos + 2:pos + 4], "big")
        if etype == 35:
            out["ticket"] = elen
        pos += 4 + elen
    return out


def hexbytes(text):
    return bytes.fromhex("".join(text.split()))


# ------------------------------------------------------------------ tshark

def tshark_fields(pcap, display_filter, fields, extra=()):
    cmd = ["tshark", "-r", pcap, "-n", *extra]
    if display_filter:
        cmd += ["-Y", display_filter]
    cmd += ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rows = []
    for line in res.stdout.splitlines():
        rows.append(line.split("\t"))
    return rows


def tshark_handshakes(pcap, extra=()):
    """frame -> (list of handshake types, list of session IDs) as tshark reads them."""
    out = {}
    for row in tshark_fields(pcap, "tls.record.content_type == 22", ["frame.number", "tls.handshake.type",
                                           "tls.handshake.session_id", "_ws.col.Info"], extra):
        frame = int(row[0])
        types = [t for t in row[1].split(",") if t] if len(row) > 1 else []
        sids = [s.replace(":", "") for s in row[2].split(",")] if len(row) > 2 and row[2] else []
        info = row[3] if len(row) > 3 else ""
        out[frame] = (types, sids, info)
    return out


def crosscheck(hs, tshark_by_frame):
    """Compare one truth handshake with tshark's reading of the same frames."""
    ch = tshark_by_frame.get(hs["first_frame"])
    result = {"client_hello_decoded": False, "client_session_id_agrees": None,
              "server_hello_frame": None, "server_session_id_agrees": None, "note": ""}
    if ch is None or "1" not in ch[0]:
        if ch and not ch[0]:
            result["note"] = ("tshark shows the TLS record in frame %d as 'Encrypted Handshake Message': "
                              "it carries the first handshake's TLS state over to the re-authentication on the "
                              "same UDP port pair; the bytes are a cleartext ClientHello" % hs["first_frame"])
        else:
            result["note"] = "tshark does not decode a ClientHello in frame %s" % hs["first_frame"]
        return result
    result["client_hello_decoded"] = True
    i = ch[0].index("1")
    result["client_session_id_agrees"] = (ch[1][i] if i < len(ch[1]) else "") == hs["client_session_id"]
    for frame in sorted(f for f in tshark_by_frame if f > hs["first_frame"]):
        types, sids, _ = tshark_by_frame[frame]
        if "1" in types:
            break
        if "2" in types:
            j = types.index("2")
            result["server_hello_frame"] = frame
            result["server_session_id_agrees"] = (sids[j] if j < len(sids) else "") == hs["server_session_id"]
            break
    if result["server_hello_frame"] is None:
        result["note"] = "tshark decodes no ServerHello after the ClientHello"
    return result


# ------------------------------------------------------------------ logs

def redact(text, secrets):
    text = re.sub(r"/tmp/sscope-lab\.[A-Za-z0-9]+", "$LABTMP", text)
    for s in secrets:
        if s:
            text = text.replace(s, REDACTED)
    return text


def write_trimmed(path, lines, secrets):
    with open(path, "w") as f:
        for line in lines:
            f.write(redact(line, secrets).rstrip("\n") + "\n")


# eapol_test (wpa_supplicant) lines kept in NAME.client.log
CLIENT_KEEP = re.compile(
    r"CTRL-EVENT-EAP-(STARTED|SUCCESS|FAILURE|METHOD)|Triggering EAP reauthentication|"
    r"RADIUS message: code=|Attribute 31 \(Calling-Station-Id\)|Attribute 32 \(NAS-Identifier\)|"
    r"Attribute 30 \(Called-Station-Id\)|Attribute 12 \(Framed-MTU\)|Attribute 24 \(State\)|"
    r"OpenSSL: (TX|RX) ver=0x303 content_type=(22|20)|SSL: SSL_connect:(SSLv3|before)|"
    r"Handshake finished|EAP-PEAP: (TLS done|Phase 2 Request|Workaround|Start)|"
    r"EAP: maintaining EAP method data|MPPE keys OK|^SUCCESS|^FAILURE")


def parse_eapol_test(path):
    """Handshakes and authentications in the order eapol_test ran them."""
    lines = open(path, errors="replace").read().splitlines()
    auths, handshakes, kept = [], [], []
    auth = hs = None
    pending = None  # "ch" / "sh": the next Message hexdump belongs to it
    last_attr = None
    for n, line in enumerate(lines):
        if CLIENT_KEEP.search(line):
            kept.append(line)
            if line.strip().startswith("Attribute") and n + 1 < len(lines):
                kept.append(lines[n + 1])
        if "CTRL-EVENT-EAP-STARTED" in line:
            auth = {"radius_ids": [], "calling_station_id": None, "result": None,
                    "phase2_ran": False, "final_code": None, "final_id": None,
                    "handshakes": []}
            auths.append(auth)
            continue
        if auth is None:
            continue
        if "content_type=22 (handshake/client hello)" in line and "TX" in line:
            hs = {"client_hello": None, "server_hello": None, "resumed": None,
                  "radius_id": None, "evidence": [], "auth": len(auths) - 1}
            handshakes.append(hs)
            auth["handshakes"].append(len(handshakes) - 1)
            pending = "ch"
            continue
        if "content_type=22 (handshake/server hello)" in line and "RX" in line:
            pending = "sh"
            continue
        m = re.match(r"OpenSSL: Message - hexdump\(len=\d+\):(.*)", line)
        if m and pending and hs is not None:
            parsed = parse_hello(hexbytes(m.group(1)))
            hs["client_hello" if pending == "ch" else "server_hello"] = parsed
            pending = None
            continue
        m = re.search(r"OpenSSL: Handshake finished - resumed=(\d)", line)
        if m and hs is not None:
            hs["resumed"] = m.group(1) == "1"
            hs["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.match(r"RADIUS message: code=(\d+) \(([^)]+)\) identifier=(\d+)", line)
        if m:
            code, cname, ident = int(m.group(1)), m.group(2), int(m.group(3))
            if code == 1:
                auth["radius_ids"].append(ident)
                if hs is not None and hs["radius_id"] is None and hs["auth"] == len(auths) - 1:
                    hs["radius_id"] = ident
            elif code in (2, 3):
                auth["final_code"] = cname
                auth["final_id"] = ident
            last_attr = None
            continue
        if "Attribute 31 (Calling-Station-Id)" in line:
            last_attr = 31
            continue
        m = re.match(r"\s+Value: '(.*)'", line)
        if m and last_attr == 31 and auth["calling_station_id"] is None:
            auth["calling_station_id"] = m.group(1)
            last_attr = None
            continue
        if re.search(r"EAP-PEAP: Phase 2 Request: type=26", line):
            auth["phase2_ran"] = True
        if "CTRL-EVENT-EAP-SUCCESS" in line:
            auth["result"] = "EAP-Success"
        elif "CTRL-EVENT-EAP-FAILURE" in line:
            auth["result"] = "EAP-Failure"
    return auths, handshakes, kept


# FreeRADIUS debug lines kept in NAME.server.log
SERVER_KEEP = re.compile(
    r"Received Access-|Sent Access-|Calling-Station-Id =|\(TLS\) (recv|send) |"
    r"Handshake state - SSL negotiation|Peer requested cached session|session|Session|"
    r"Skipping Phase2|Phase2|eap_mschapv2|mschap: |Login OK|Login incorrect|EAP-Session-Resumed|"
    r"Initiating new session|PEAP state|Ready to process requests|Listening on")
SERVER_DROP = re.compile(r"TLS-Session-Information|session-state|&session-state|Expiring EAP session|"
                         r"Finished EAP session|EAP session adding|Cleartext-Password|MS-CHAP-")


def parse_freeradius(node, path):
    """Requests of one FreeRADIUS node: radius id -> request number, lines per request."""
    lines = open(path, errors="replace").read().splitlines()
    by_req = {}
    id_of_req = {}
    kept = []
    for line in lines:
        if SERVER_KEEP.search(line) and not SERVER_DROP.search(line):
            kept.append("[%s] %s" % (node, line))
        m = re.match(r"\((\d+)\) ", line)
        if not m:
            continue
        req = int(m.group(1))
        by_req.setdefault(req, []).append(line)
        m = re.match(r"\(\d+\) Received Access-Request Id (\d+) ", line)
        if m:
            id_of_req[req] = int(m.group(1))
    req_of_id = {}
    for req, ident in sorted(id_of_req.items()):
        req_of_id.setdefault(ident, req)
    return {"node": node, "by_req": by_req, "req_of_id": req_of_id, "kept": kept}


SERVER_EVIDENCE = re.compile(
    r"eap_peap: .*(Peer requested cached session|Successfully restored session|Serialising session|"
    r"Skipping Phase2|EAP-Session-Resumed|[Ss]ession resumption|[Cc]ache|[Ff]ailed|rejected|"
    r"send TLS 1.2 Handshake, (ServerHello|Certificate)$)")


def server_view(nodes, first_id, last_id):
    """The node that served radius ids first_id..last_id and its evidence lines."""
    for node in nodes:
        if first_id not in node["req_of_id"]:
            continue
        first_req = node["req_of_id"][first_id]
        last_req = node["req_of_id"].get(last_id, first_req)
        lines = []
        for req in range(first_req, last_req + 1):
            lines += node["by_req"].get(req, [])
        return node["node"], lines
    return None, []


# ------------------------------------------------------------------ PEAP

def radius_frames(pcap):
    """(code, id) -> first frame carrying it, as tshark numbers frames."""
    frames = {}
    for row in tshark_fields(pcap, "radius", ["frame.number", "radius.code", "radius.id"]):
        if len(row) < 3 or not row[1]:
            continue
        key = (int(row[1]), int(row[2], 0))
        frames.setdefault(key, int(row[0]))
    return frames


def radius_eap_message(payload_hex):
    """The EAP-Message attributes (type 79) of a RADIUS packet, joined."""
    b = bytes.fromhex(payload_hex.replace(":", ""))
    out = b""
    pos = 20
    end = min(len(b), int.from_bytes(b[2:4], "big")) if len(b) >= 4 else 0
    while pos + 2 <= end:
        typ, alen = b[pos], b[pos + 1]
        if alen < 2:
            break
        if typ == 79:
            out += b[pos + 2:pos + alen]
        pos += alen
    return out


def eap_tls_hello(eap):
    """The hello at the start of the EAP-TLS data of an EAP packet."""
    if len(eap) < 6 or eap[4] not in (13, 21, 25, 43):
        return None
    pos = 6 + (4 if eap[5] & 0x80 else 0)
    rec = eap[pos:]
    if len(rec) < 9 or rec[0] != 22:
        return None
    return parse_hello(rec[5:])


def bytes_check(pcap, hs, check):
    """Read the ClientHello and ServerHello session IDs from the RADIUS bytes
    themselves (EAP-Message attributes -> EAP-TLS data -> TLS record)."""
    rows = tshark_fields(pcap, "radius", ["frame.number", "radius.code", "udp.payload"])
    ch = sh = None
    for row in rows:
        frame = int(row[0])
        if len(row) < 3 or not row[2]:
            continue
        if frame == hs["first_frame"]:
            ch = eap_tls_hello(radius_eap_message(row[2]))
        elif frame > (hs["first_frame"] or 0) and row[1] == "11":
            sh = eap_tls_hello(radius_eap_message(row[2]))
            break
    check["bytes_client_session_id"] = ch["session_id"] if ch else None
    check["bytes_server_session_id"] = sh["session_id"] if sh else None
    check["bytes_agree"] = bool(ch and sh and ch["session_id"] == hs["client_session_id"]
                                and sh["session_id"] == hs["server_session_id"])
    return check


def peap(args):
    auths, hss, client_kept = parse_eapol_test(args.client_log)
    nodes = []
    for spec in args.server_log:
        node, path = spec.split("=", 1)
        nodes.append(parse_freeradius(node, path))
    frames = radius_frames(args.pcap)
    tshark_by_frame = tshark_handshakes(args.pcap)

    out_hs = []
    for i, hs in enumerate(hss):
        auth = auths[hs["auth"]]
        ch = hs["client_hello"] or {}
        sh = hs["server_hello"] or {}
        node, lines = server_view(nodes, hs["radius_id"], auth["final_id"])
        ev = list(hs["evidence"])
        ev.append("eapol_test OpenSSL trace: TX ClientHello session_id=%s, RX ServerHello session_id=%s" % (
            (ch.get("session_id") or "(empty)"), (sh.get("session_id") or "(empty)")))
        ev += ["freeradius %s: %s" % (node, l.strip()) for l in lines if SERVER_EVIDENCE.search(l)]
        client_sid = ch.get("session_id") or ""
        server_sid = sh.get("session_id") or ""
        if hs["resumed"] is None:
            kind = "failed"
        else:
            kind = "abbreviated" if hs["resumed"] else "full"
        resumption = None
        if kind == "abbreviated":
            resumption = "session-ticket" if ch.get("ticket") else "session-id"
        offered = bool(client_sid) or bool(ch.get("ticket"))
        out_hs.append({
            "first_frame": frames.get((1, hs["radius_id"])),
            "client_session_id": client_sid,
            "server_session_id": server_sid,
            "kind": kind,
            "resumption": resumption,
            "resumption_refused": offered and kind == "full",
            "client_offered_ticket": ch.get("ticket") is not None and ch.get("ticket") > 0,
            "server_node": node,
            "authentication": hs["auth"],
            "evidence": "; ".join(ev),
        })

    out_auth = []
    for k, auth in enumerate(auths):
        first_id = auth["radius_ids"][0] if auth["radius_ids"] else None
        node, lines = server_view(nodes, first_id, auth["final_id"])
        skipped = any("Skipping Phase2 because of session resumption" in l for l in lines)
        if skipped:
            phase2 = True
        elif auth["phase2_ran"]:
            phase2 = False
        else:
            phase2 = None
        ev = [l.strip() for l in lines if re.search(r"Skipping Phase2|Login OK|Login incorrect|Sent Access-(Accept|Reject)", l)]
        out_auth.append({
            "first_frame": frames.get((1, first_id)) if first_id is not None else None,
            "final_frame": frames.get(({"Access-Accept": 2, "Access-Reject": 3}.get(auth["final_code"], 0), auth["final_id"])),
            "final_code": auth["final_code"],
            "eap_result": auth["result"],
            "calling_station_id": auth["calling_station_id"],
            "server_node": node,
            "phase2_skipped": phase2,
            "handshakes": auth["handshakes"],
            "evidence": "; ".join(("freeradius %s: %s" % (node, e)) for e in ev) +
                        ("; eapol_test: EAP-PEAP: Phase 2 Request: type=26 (MSCHAPv2 ran)" if auth["phase2_ran"] else ""),
        })

    crosschecks = [bytes_check(args.pcap, h, crosscheck(h, tshark_by_frame)) for h in out_hs]
    truth = {
        "capture": os.path.basename(args.pcap),
        "scenario": args.name,
        "peers": "FreeRADIUS (server, %d node%s, TLS session cache %s) and eapol_test (supplicant+NAS)" % (
            args.nodes, "s" if args.nodes > 1 else "", "enabled" if args.cache == "yes" else "disabled"),
        "eapol_test_exit_code": args.eapol_test_rc,
        "handshakes": out_hs,
        "authentications": out_auth,
        "tshark_crosscheck": crosschecks,
        "notes": NOTES.get(args.name, ""),
    }
    base = os.path.join(args.out_dir, args.name)
    with open(base + ".truth.json", "w") as f:
        json.dump(sanitize(truth), f, indent=2)
        f.write("\n")
    server_kept = []
    if args.relay_log:
        server_kept += ["[radrelay] " + l for l in open(args.relay_log).read().splitlines()]
    for node in nodes:
        server_kept += node["kept"]
    write_trimmed(base + ".server.log", server_kept, args.redact)
    write_trimmed(base + ".client.log", client_kept, args.redact)
    report(truth)


# ------------------------------------------------------------------- TLS

def parse_s_client(path):
    """One openssl s_client run: its -msg trace, summary and the server's page."""
    text = open(path, errors="replace").read()
    head, sep, page = text.partition("HTTP/1.0 200")
    out = {"client_hello": None, "server_hello": None, "client_says": None,
           "client_session_id": None, "server_says": [], "kept": []}
    lines = head.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"(>>>|<<<) TLS 1\.2, Handshake \[length [0-9a-f]+\], (ClientHello|ServerHello)$", line)
        if m:
            j = i + 1
            hexlines = []
            while j < len(lines) and re.match(r"^    ([0-9a-f]{2} ?)+$", lines[j]):
                hexlines.append(lines[j])
                j += 1
            parsed = parse_hello(hexbytes(" ".join(hexlines)))
            out["client_hello" if m.group(2) == "ClientHello" else "server_hello"] = parsed
            out["kept"].append(line)
            out["kept"] += hexlines
            i = j
            continue
        if re.match(r"^(<<<|>>>) ", line) and "Handshake" in line or "ChangeCipherSpec" in line:
            out["kept"].append(line)
        if re.match(r"^(New|Reused), TLSv", line) and out["client_says"] is None:
            out["client_says"] = line.strip()
            out["kept"].append(line)
        m = re.match(r"^\s+Session-ID: ([0-9A-F]*)$", line)
        if m and out["client_session_id"] is None:
            out["client_session_id"] = m.group(1).lower()
            out["kept"].append(line)
        if re.match(r"^\s+(TLS session ticket|Session-ID-ctx|Verify return code)", line):
            out["kept"].append(line)
        i += 1
    for line in page.splitlines():
        if re.search(r"^(New|Reused), TLSv|Session-ID:|session cache (hits|misses)|did_resume=|^tlsfarm|connection \d+", line):
            out["server_says"].append(line.strip())
    out["kept"] += ["server page: " + l for l in out["server_says"]]
    return out


def tls(args):
    conns = [parse_s_client(p) for p in args.client_logs]
    proxy = []
    for line in open(args.proxy_log).read().splitlines():
        m = re.search(r"connection (\d+) from \S+ -> backend (\d+)", line)
        if m:
            proxy.append((int(m.group(1)), int(m.group(2)), line.split("tlsfarm: ", 1)[-1]))
    ch_frames = [int(r[0]) for r in tshark_fields(args.pcap, "tls.handshake.type == 1", ["frame.number"])]
    tshark_by_frame = tshark_handshakes(args.pcap)
    out_hs = []
    for k, c in enumerate(conns):
        ch = c["client_hello"] or {}
        sh = c["server_hello"] or {}
        says = c["client_says"] or ""
        if says.startswith("Reused"):
            kind = "abbreviated"
        elif says.startswith("New"):
            kind = "full"
        else:
            kind = "failed"
        client_sid = ch.get("session_id") or ""
        ticket_offered = bool(ch.get("ticket"))
        resumption = None
        if kind == "abbreviated":
            resumption = "session-ticket" if ticket_offered else "session-id"
        ev = ["openssl s_client: " + says,
              "openssl s_client -msg: >>> ClientHello session_id=%s ticket=%s, <<< ServerHello session_id=%s" % (
                  client_sid or "(empty)", "none" if ch.get("ticket") is None else "%d bytes" % ch["ticket"],
                  sh.get("session_id") or "(empty)")]
        ev += ["server: " + s for s in c["server_says"]]
        if k < len(proxy):
            ev.append("proxy: " + proxy[k][2])
        out_hs.append({
            "first_frame": ch_frames[k] if k < len(ch_frames) else None,
            "client_session_id": client_sid,
            "server_session_id": sh.get("session_id") or "",
            "kind": kind,
            "resumption": resumption,
            "resumption_refused": (bool(client_sid) or ticket_offered) and kind == "full",
            "client_offered_ticket": ticket_offered,
            "server_sent_ticket_extension": sh.get("ticket") is not None,
            "backend": proxy[k][1] if k < len(proxy) else None,
            "evidence": "; ".join(ev),
        })
    crosschecks = [crosscheck(h, tshark_by_frame) for h in out_hs]
    truth = {
        "capture": os.path.basename(args.pcap),
        "scenario": args.name,
        "peers": args.peers,
        "handshakes": out_hs,
        "authentications": [],
        "tshark_crosscheck": crosschecks,
        "notes": NOTES.get(args.name, ""),
    }
    base = os.path.join(args.out_dir, args.name)
    with open(base + ".truth.json", "w") as f:
        json.dump(sanitize(truth), f, indent=2)
        f.write("\n")
    server_kept = ["[proxy] " + p[2] for p in proxy]
    for path in args.server_logs:
        tag = os.path.basename(path).rsplit(".", 1)[0]
        for line in open(path, errors="replace").read().splitlines():
            if re.search(r"ACCEPT|did_resume|handshake|listening|New,|Reused,|Session-ID|cache", line):
                server_kept.append("[%s] %s" % (tag, line))
    write_trimmed(base + ".server.log", server_kept, args.redact)
    client_kept = []
    for k, c in enumerate(conns):
        client_kept.append("=== connection %d ===" % (k + 1))
        client_kept += c["kept"]
    write_trimmed(base + ".client.log", client_kept, args.redact)
    report(truth)


# ----------------------------------------------------------------- notes

NOTES = {
    "P1": "One PEAPv0/EAP-MSCHAPv2 authentication. FreeRADIUS has its TLS session cache on "
          "(tls-config cache enable=yes, persist_dir), so its ServerHello assigns a 32-byte ID; "
          "the client offers none (empty ClientHello session ID). Full handshake, phase 2 runs.",
    "P1-ipfrag": "As P1, but FreeRADIUS fragment_size=3000 and eapol_test sends Framed-MTU=3100, "
                 "so the Access-Challenges that carry the certificate chain exceed the 1500-byte "
                 "veth MTU and are IP-fragmented (tshark -Y 'ip.flags.mf==1').",
    "P2": "First authentication (full handshake, server assigns an ID and stores it in its "
          "cache) then eapol_test -r1 re-authenticates in the same process, offering that ID; "
          "FreeRADIUS restores it (abbreviated handshake: ServerHello echoes the ID, "
          "ChangeCipherSpec+Finished) and skips phase 2 (FreeRADIUS's PEAP behaves like fast "
          "reconnect on resumption: 'Skipping Phase2 because of session resumption').",
    "P3": "Two FreeRADIUS nodes with separate caches behind radrelay (round-robin per new EAP "
          "conversation, sticky by State); capture on the relay's front port only. The "
          "re-authentication reaches the other node: it does not know the offered ID, answers "
          "with a different ID and a full handshake; phase 2 runs again.",
    "P-nocache": "FreeRADIUS with its TLS session cache disabled (OpenSSL SSL_SESS_CACHE_OFF): "
                 "its ServerHello carries an empty session ID, so the client has nothing to offer "
                 "on re-authentication; both handshakes are full and phase 2 runs both times.",
    "T1": "openssl s_server x2 (TLS 1.2, each with its own session cache, no tickets) behind "
          "tlsfarm's round-robin TCP proxy; openssl s_client reconnects with -sess_in/-sess_out. "
          "Every ServerHello assigns a new ID, every later ClientHello offers the previous one, "
          "no connection resumes ('IDs assigned but not accepted').",
    "T2": "tlsfarm server x2 (Go crypto/tls, TLS 1.2) sharing one session ticket key behind the "
          "round-robin proxy; openssl s_client keeps the ticket (-sess_out/-sess_in) and sends it "
          "in the SessionTicket extension; every connection after the first is abbreviated "
          "whichever backend answers. OpenSSL's client also puts a session ID in ClientHellos "
          "that carry a ticket (RFC 5077 section 3.4); Go's server echoes it on resumption.",
    "T3": "openssl s_server x2 with -no_cache -no_ticket: the ServerHello session ID is empty "
          "on every connection, so the client never has anything to offer; all handshakes full.",
}


def sanitize(obj):
    """Apply the path redaction to every string in the truth document."""
    if isinstance(obj, str):
        return redact(obj, [])
    if isinstance(obj, list):
        return [sanitize(v) for v in obj]
    if isinstance(obj, dict):
        return {k: sanitize(v) for k, v in obj.items()}
    return obj


def report(truth):
    print("%s: %d handshake(s)" % (truth["scenario"], len(truth["handshakes"])))
    for h, c in zip(truth["handshakes"], truth["tshark_crosscheck"]):
        print("  frame %-4s %-11s resumption=%-14s refused=%-5s client_id=%s server_id=%s | tshark: ch=%s cid=%s sid=%s %s" % (
            h["first_frame"], h["kind"], h["resumption"], h["resumption_refused"],
            h["client_session_id"][:16] or "-", h["server_session_id"][:16] or "-",
            c["client_hello_decoded"], c["client_session_id_agrees"], c["server_session_id_agrees"], c["note"]))
    for a in truth.get("authentications", []):
        print("  auth frames %s..%s %s %s phase2_skipped=%s" % (
            a["first_frame"], a["final_frame"], a["final_code"], a["calling_station_id"], a["phase2_skipped"]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("peap")
    a.add_argument("--name", required=True)
    a.add_argument("--pcap", required=True)
    a.add_argument("--client-log", required=True)
    a.add_argument("--server-log", action="append", default=[], help="NODE=PATH")
    a.add_argument("--relay-log")
    a.add_argument("--redact", action="append", default=[])
    a.add_argument("--eapol-test-rc", type=int, default=0)
    a.add_argument("--cache", default="yes")
    a.add_argument("--nodes", type=int, default=1)
    a.add_argument("--out-dir", required=True)
    t = sub.add_parser("tls")
    t.add_argument("--name", required=True)
    t.add_argument("--pcap", required=True)
    t.add_argument("--peers", required=True)
    t.add_argument("--proxy-log", required=True)
    t.add_argument("--client-logs", nargs="+", required=True)
    t.add_argument("--server-logs", nargs="*", default=[])
    t.add_argument("--redact", action="append", default=[])
    t.add_argument("--out-dir", required=True)
    args = p.parse_args()
    {"peap": peap, "tls": tls}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
