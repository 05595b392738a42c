#!/usr/bin/env python3
"""Ground truth for the EAP-FAST lab captures, read from the peers' own logs.

Every fact comes from what eapol_test (supplicant+NAS) and hostapd (RADIUS
server with its integrated EAP server) reported themselves: the handshake
kind ("OpenSSL: Handshake finished - resumed=N", both peers), the cipher
suite ("OpenSSL: Server selected cipher suite 0x.."), anonymous provisioning,
the PAC the client used ("PAC found for this A-ID (PAC-Type N)") and the one
the server accepted ("PAC-Key from decrypted PAC-Opaque"), the PACs
provisioned (PAC-Info PAC-Type, "Wrote N PAC entries", "PAC-Acknowledgement
received"), the inner method, the crypto-binding verdict ("Valid
Crypto-Binding TLV received"), the RADIUS outcome and the plaintext of every
phase 2 record (each peer logs what it encrypted and what it decrypted).
tshark only finds frame numbers (by client UDP port and RADIUS identifier)
and, as an independent cross-check, reads the hellos and decrypts the tunnels
with the key log; its reading never feeds the truth.

Writes NAME.truth.json, NAME.keylog, NAME.server.log and NAME.client.log
(trimmed, with the given secrets replaced) into --out-dir. Standard library
only; shares helpers with truth.py.
"""

import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # importing truth.py leaves no __pycache__ beside it
import truth as common  # noqa: E402

# IANA names of the cipher suites hostapd offers for EAP-FAST
# (ADH-AES128-SHA:AES128-SHA:DHE-RSA-AES128-SHA:RC4-SHA:DHE-RSA-AES256-SHA:AES256-SHA).
CIPHER_SUITES = {
    0x0005: "TLS_RSA_WITH_RC4_128_SHA",
    0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA",
    0x0033: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    0x0034: "TLS_DH_anon_WITH_AES_128_CBC_SHA",
    0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
    0x0039: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    0x003A: "TLS_DH_anon_WITH_AES_256_CBC_SHA",
}

PAC_TYPES = {1: "tunnel", 2: "machine", 3: "user-authorization", 4: "machine-authorization", 5: "trustsec"}
EAP_METHODS = {26: "EAP-MSCHAPv2", 6: "EAP-GTC", 13: "EAP-TLS"}

HEXDUMP = re.compile(r"hexdump\(len=(\d+)\):((?: [0-9a-f]{2})*)\s*$")


def dump_bytes(line):
    """The bytes of a wpa_supplicant/hostapd 'hexdump(len=N): ..' line."""
    m = HEXDUMP.search(line)
    if not m:
        return None
    b = common.hexbytes(m.group(2))
    return b if len(b) == int(m.group(1)) else None


def hello_fields(msg):
    """random, session ID and extensions (type -> bytes) of a ClientHello or
    ServerHello handshake message (type, 24-bit length, body)."""
    out = {"random": None, "session_id": None, "extensions": {}}
    if not msg or len(msg) < 4:
        return out
    body = msg[4:4 + int.from_bytes(msg[1:4], "big")]
    if len(body) < 35:
        return out
    out["random"] = body[2:34].hex()
    sid_len = body[34]
    pos = 35 + sid_len
    if len(body) < pos:
        return out
    out["session_id"] = body[35:pos].hex()
    if msg[0] == 1:
        if len(body) < pos + 2:
            return out
        pos += 2 + int.from_bytes(body[pos:pos + 2], "big")
        if len(body) < pos + 1:
            return out
        pos += 1 + body[pos]
    else:
        pos += 3
    if len(body) < pos + 2:
        return out
    end = min(len(body), pos + 2 + int.from_bytes(body[pos:pos + 2], "big"))
    pos += 2
    while pos + 4 <= end:
        etype = int.from_bytes(body[pos:pos + 2], "big")
        elen = int.from_bytes(body[pos + 2:pos + 4], "big")
        out["extensions"][etype] = body[pos + 4:pos + 4 + elen]
        pos += 4 + elen
    return out


# ----------------------------------------------------------- eapol_test

# eapol_test lines kept in NAME.client.log (never the configuration dump or
# the MSCHAPv2 password lines).
CLIENT_KEEP = re.compile(
    r"RADIUS local address|CTRL-EVENT-EAP-(STARTED|SUCCESS|FAILURE|METHOD)|RADIUS message: code=|"
    r"Attribute 31 \(Calling-Station-Id\)|Attribute 1 \(User-Name\)|"
    r"OpenSSL: (TX|RX) ver=0x303 content_type=(22|20)|OpenSSL: Message - hexdump|OpenSSL: Server selected|"
    r"OpenSSL: cipher suites|OpenSSL: Handshake finished|SSL: Using TLS version|EAP-FAST: |EAP-MSCHAPV2: |"
    r"MSCHAPV2: (NT Response|Auth Response|Master Key)|MPPE keys OK|^SUCCESS|^FAILURE|alert")
CLIENT_DROP = re.compile(r"password|Password")


def parse_eapol_test(path, run):
    """One eapol_test run (-r 0): its authentication as it reported it."""
    lines = open(path, errors="replace").read().splitlines()
    a = {"run": run, "client_port": None, "radius_ids": [], "final_code": None, "final_id": None,
         "eap_result": None, "calling_station_id": None, "outer_identity": None,
         "client_hello": None, "client_hello_id": None, "server_hello": None, "cipher_suite": None,
         "resumed": None, "pac_used": None, "no_pac": False, "provisioning": None,
         "inner_methods": [], "inner_success": False, "pac_info_types": [], "pacs_written": 0,
         "pac_ack_sent": False, "compound_mac": {}, "client_random": None, "master_secret": None,
         "mppe_ok": None, "phase2": [], "evidence": [], "kept": []}
    pending_hello = None
    pending_c2s = []  # plaintexts encrypted for the next Access-Request
    last_challenge = None
    last_attr = None
    for n, line in enumerate(lines):
        if CLIENT_KEEP.search(line) and not CLIENT_DROP.search(line):
            a["kept"].append(line)
            if line.strip().startswith("Attribute") and n + 1 < len(lines):
                a["kept"].append(lines[n + 1])
        m = re.search(r"RADIUS local address: [\d.]+:(\d+)", line)
        if m:
            a["client_port"] = int(m.group(1))
            continue
        if "content_type=22 (handshake/client hello)" in line and "TX" in line:
            pending_hello = "ch"
            continue
        if "content_type=22 (handshake/server hello)" in line and "RX" in line:
            pending_hello = "sh"
            continue
        if pending_hello and line.startswith("OpenSSL: Message - hexdump"):
            a["client_hello" if pending_hello == "ch" else "server_hello"] = dump_bytes(line)
            pending_hello = None
            continue
        m = re.match(r"RADIUS message: code=(\d+) \(([^)]+)\) identifier=(\d+)", line)
        if m:
            code, cname, ident = int(m.group(1)), m.group(2), int(m.group(3))
            if code == 1:
                a["radius_ids"].append(ident)
                if a["client_hello"] is not None and a["client_hello_id"] is None:
                    a["client_hello_id"] = ident
                for p in pending_c2s:
                    a["phase2"].append({"radius": (1, ident), "direction": "c2s", "plaintext": p})
                pending_c2s = []
            elif code == 11:
                last_challenge = ident
            elif code in (2, 3):
                a["final_code"], a["final_id"] = cname, ident
            last_attr = None
            continue
        m = re.match(r"\s+Attribute (\d+) ", line)
        if m:
            last_attr = int(m.group(1))
            continue
        m = re.match(r"\s+Value: '(.*)'", line)
        if m and last_attr == 31 and a["calling_station_id"] is None:
            a["calling_station_id"] = m.group(1)
        if m and last_attr == 1 and a["outer_identity"] is None:
            a["outer_identity"] = m.group(1)
        m = re.search(r"OpenSSL: Server selected cipher suite 0x([0-9a-f]+)", line)
        if m:
            a["cipher_suite"] = int(m.group(1), 16)
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.search(r"OpenSSL: Handshake finished - resumed=(\d)", line)
        if m:
            a["resumed"] = m.group(1) == "1"
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.search(r"EAP-FAST: PAC found for this A-ID \(PAC-Type (\d+)\)", line)
        if m:
            a["pac_used"] = int(m.group(1))
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        if re.search(r"EAP-FAST: No PAC found - starting provisioning|EAP-FAST: Enabling unauthenticated", line):
            a["no_pac"] = True
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.search(r"EAP-FAST: Using (anonymous|authenticated) .*provisioning", line)
        if m:
            a["provisioning"] = m.group(1)
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.search(r"EAP-FAST: Selected Phase 2 EAP vendor 0 method (\d+)", line)
        if m:
            a["inner_methods"].append(EAP_METHODS.get(int(m.group(1)), "EAP type %s" % m.group(1)))
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        if "EAP-MSCHAPV2: Authentication succeeded" in line:
            a["inner_success"] = True
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.search(r"EAP-FAST: (Received|Calculated) Compound MAC", line)
        if m:
            a["compound_mac"][m.group(1)] = dump_bytes(line)
            continue
        m = re.search(r"EAP-FAST: PAC-Info - PAC-Type (\d+)", line)
        if m:
            a["pac_info_types"].append(int(m.group(1)))
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        m = re.search(r"EAP-FAST: Wrote (\d+) PAC entries", line)
        if m:
            a["pacs_written"] += int(m.group(1))
            a["evidence"].append("eapol_test: " + common.redact(line.strip(), []))
            continue
        if "Send PAC-Acknowledgement TLV - Provisioning completed successfully" in line:
            a["pac_ack_sent"] = True
            a["evidence"].append("eapol_test: " + line.strip())
            continue
        if line.startswith("EAP-FAST: client_random - hexdump"):
            a["client_random"] = dump_bytes(line)
            continue
        if line.startswith("EAP-FAST: master_secret - hexdump"):
            a["master_secret"] = dump_bytes(line)
            a["evidence"].append("eapol_test: EAP-FAST: master_secret derived from the PAC-Key (logged)")
            continue
        if line.startswith("EAP-FAST: Encrypting Phase 2 data - hexdump"):
            pending_c2s.append(dump_bytes(line))
            continue
        if line.startswith("EAP-FAST: Decrypted Phase 2 TLV(s) - hexdump"):
            a["phase2"].append({"radius": (11, last_challenge), "direction": "s2c", "plaintext": dump_bytes(line)})
            continue
        m = re.match(r"MPPE keys OK: (\d+)\s+mismatch: (\d+)", line)
        if m:
            a["mppe_ok"] = m.group(1) == "1"
            a["evidence"].append("eapol_test: " + line.strip())
        if "CTRL-EVENT-EAP-SUCCESS" in line:
            a["eap_result"] = "EAP-Success"
        elif "CTRL-EVENT-EAP-FAILURE" in line:
            a["eap_result"] = "EAP-Failure"
    return a


# -------------------------------------------------------------- hostapd

SERVER_KEEP = re.compile(
    r"RADIUS SRV: |RADIUS message: code=|EAP-FAST: |EAP-MSCHAPV2: |OpenSSL: (Server selected|Handshake finished|"
    r"ClientHello SessionTicket|cipher suites)|SSL: SSL_accept|alert|Setup of interface done")
SERVER_DROP = re.compile(r"password|Password|asleap|"
                         r"RADIUS SRV: (Received data|Received EAP data|EAP data from the state machine)")

SERVER_EVIDENCE = re.compile(
    r"OpenSSL: (Server selected cipher suite|Handshake finished)|EAP-FAST: (Anonymous provisioning|"
    r"Ignore invalid SessionTicket|PAC-Key from decrypted PAC-Opaque|Identity already known|"
    r"Valid Crypto-Binding TLV received|Requested a new .*PAC|PAC-Acknowledgement received|"
    r"Authentication completed successfully|.*(FAILURE|SUCCESS)$)|EAP-MSCHAPV2: (Correct NT-Response|"
    r"Received Success Response)|Sending Access-(Accept|Reject)")


def parse_hostapd(path):
    """hostapd -dd -K output, split per client UDP port (one EAP conversation
    each here)."""
    lines = open(path, errors="replace").read().splitlines()
    by_port = {}
    kept = []
    port = None
    for line in lines:
        if SERVER_KEEP.search(line) and not SERVER_DROP.search(line):
            kept.append(line)
        m = re.match(r"RADIUS SRV: Received \d+ bytes from [\d.]+:(\d+)", line)
        if m:
            port = int(m.group(1))
        if port is None:
            continue
        s = by_port.setdefault(port, {"resumed": None, "cipher_suite": None, "anonymous_provisioning": False,
                                      "pac_key_from_opaque": None, "generated_pac_key": None,
                                      "pac_ack": False, "crypto_binding_valid": False, "mschapv2_ok": False,
                                      "final": None, "encrypted": [], "decrypted": [], "evidence": []})
        if SERVER_EVIDENCE.search(line):
            s["evidence"].append("hostapd: " + line.strip().split(" - hexdump")[0])
        m = re.search(r"OpenSSL: Handshake finished - resumed=(\d)", line)
        if m:
            s["resumed"] = m.group(1) == "1"
        m = re.search(r"OpenSSL: Server selected cipher suite 0x([0-9a-f]+)", line)
        if m:
            s["cipher_suite"] = int(m.group(1), 16)
        if "EAP-FAST: Anonymous provisioning" in line:
            s["anonymous_provisioning"] = True
        if line.startswith("EAP-FAST: PAC-Key from decrypted PAC-Opaque"):
            s["pac_key_from_opaque"] = dump_bytes(line)
        if line.startswith("EAP-FAST: Generated PAC-Key"):
            s["generated_pac_key"] = dump_bytes(line)
        if "PAC-Acknowledgement received - PAC provisioning succeeded" in line:
            s["pac_ack"] = True
        if "EAP-FAST: Valid Crypto-Binding TLV received" in line:
            s["crypto_binding_valid"] = True
        if "EAP-MSCHAPV2: Received Success Response" in line:
            s["mschapv2_ok"] = True
        m = re.search(r"Sending Access-(Accept|Reject)", line)
        if m:
            s["final"] = "Access-" + m.group(1)
        if line.startswith("EAP-FAST: Encrypting Phase 2 TLVs - hexdump"):
            s["encrypted"].append(dump_bytes(line))
        if line.startswith("EAP-FAST: Decrypted Phase 2 TLVs - hexdump"):
            s["decrypted"].append(dump_bytes(line))
    return by_port, kept


# ------------------------------------------------------------- key log

def read_keylog(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path).read().splitlines():
        f = line.split()
        if len(f) == 3 and f[0] == "CLIENT_RANDOM":
            out[f[1].lower()] = f[2].lower()
    return out


def parse_pac_file(path):
    """Entries of a wpa_supplicant PAC file (text format)."""
    entries, cur = [], None
    for line in open(path).read().splitlines():
        if line == "START":
            cur = {}
        elif line == "END" and cur is not None:
            entries.append(cur)
            cur = None
        elif cur is not None and "=" in line:
            k, v = line.split("=", 1)
            cur[k] = v
    return entries


def pac_opaque_of(ext):
    """The PAC-Opaque carried in a SessionTicket extension: RFC 4851 sends the
    PAC-Opaque TLV (type 2, 16-bit length) there."""
    if ext and len(ext) >= 4 and ext[0:2] == b"\x00\x02" and int.from_bytes(ext[2:4], "big") == len(ext) - 4:
        return ext[4:]
    return ext


# ---------------------------------------------------------------- main

def radius_frames(pcap):
    """(client port, code, id) -> frame, as tshark numbers frames."""
    frames = {}
    for row in common.tshark_fields(pcap, "radius", ["frame.number", "radius.code", "radius.id",
                                                     "udp.srcport", "udp.dstport"]):
        if len(row) < 5 or not row[1]:
            continue
        code = int(row[1])
        client = int(row[3]) if code in (1, 4) else int(row[4])
        frames.setdefault((client, code, int(row[2], 0)), int(row[0]))
    return frames


def tshark_plaintexts(pcap, keylog):
    """frame -> the application data tshark decrypted with the key log."""
    out = {}
    for row in common.tshark_fields(pcap, "data", ["frame.number", "data.data"],
                                    ("-o", "tls.keylog_file:" + keylog)):
        if len(row) >= 2 and row[1]:
            out[int(row[0])] = row[1].replace(",", "").replace(":", "")
    return out


def fast(args):
    runs = [parse_eapol_test(p, i + 1) for i, p in enumerate(args.client_logs)]
    servers, server_kept = parse_hostapd(args.server_log)
    frames = radius_frames(args.pcap)
    tshark_by_frame = common.tshark_handshakes(args.pcap)
    client_keys = read_keylog(args.client_keylog)
    server_keys = read_keylog(args.server_keylog)
    pac_entries = parse_pac_file(args.pac_file)

    handshakes, auths, crosschecks = [], [], []
    for k, a in enumerate(runs):
        srv = servers.get(a["client_port"], {})
        def frame(code, ident, port=a["client_port"]):
            return frames.get((port, code, ident))
        ch = hello_fields(a["client_hello"])
        sh = hello_fields(a["server_hello"])
        suite = a["cipher_suite"]
        suite_name = CIPHER_SUITES.get(suite, "0x%04x" % suite if suite is not None else None)
        anonymous = bool(suite_name and "_anon_" in suite_name)
        pac_opaque = pac_opaque_of(ch["extensions"].get(35))
        offered_pac = bool(pac_opaque)
        if a["resumed"] is None:
            kind = "failed"
        else:
            kind = "abbreviated" if a["resumed"] else "full"
        resumption = None
        if kind == "abbreviated":
            resumption = "pac" if offered_pac and a["pac_used"] else "session-id"
        if srv.get("resumed") is not None and srv.get("resumed") != a["resumed"]:
            sys.exit("%s run %d: client resumed=%s, server resumed=%s" % (args.name, k + 1, a["resumed"], srv["resumed"]))
        if srv.get("cipher_suite") is not None and srv.get("cipher_suite") != suite:
            sys.exit("%s run %d: cipher suite differs between the peers" % (args.name, k + 1))
        cr = ch["random"]
        ms_client, ms_server = client_keys.get(cr), server_keys.get(cr)
        logged_ms = a["master_secret"].hex() if a["master_secret"] else None
        hs = {
            "first_frame": frame(1, a["client_hello_id"]),
            "client_session_id": ch["session_id"] or "",
            "server_session_id": sh["session_id"] or "",
            "kind": kind,
            "resumption": resumption,
            "resumption_refused": (offered_pac or bool(ch["session_id"])) and kind == "full",
            "client_offered_ticket": False,
            "client_offered_pac_opaque": offered_pac,
            "cipher_suite": suite_name,
            "anonymous": anonymous,
            "client_random": cr,
            "server_random": sh["random"],
            "keylog_line": ms_client is not None,
            "keylog_peers_agree": ms_client is not None and ms_client == ms_server,
            "master_secret_logged_by_peers_matches_keylog": (logged_ms == ms_client) if logged_ms else None,
            "authentication": k,
            "evidence": "; ".join(
                [e for e in a["evidence"] if re.search(r"cipher suite|Handshake finished|PAC found|master_secret", e)] +
                ["eapol_test OpenSSL trace: TX ClientHello session_id=%s %s, RX ServerHello session_id=%s" % (
                    ch["session_id"] or "(empty)",
                    "SessionTicket extension with a %d-byte PAC-Opaque" % len(pac_opaque) if pac_opaque else
                    "no SessionTicket extension", sh["session_id"] or "(empty)")] +
                [e for e in srv.get("evidence", []) if re.search(r"OpenSSL|PAC-Key from decrypted|Ignore invalid", e)]),
        }
        handshakes.append(hs)

        # Phase 2 records: frame, direction and plaintext as the sender
        # encrypted it; confirmed by the receiver's own decryption.
        srv_sent = [p for p in srv.get("encrypted", [])]
        srv_got = [p for p in srv.get("decrypted", [])]
        phase2 = []
        for p in a["phase2"]:
            code, ident = p["radius"]
            plaintext = p["plaintext"]
            if p["direction"] == "c2s":
                peer_agrees = plaintext in srv_got
            else:
                peer_agrees = plaintext in srv_sent
            phase2.append({"frame": frame(code, ident), "direction": p["direction"],
                           "plaintext": plaintext.hex() if plaintext else None, "peers_agree": peer_agrees})

        provisioned = [PAC_TYPES.get(t, str(t)) for t in a["pac_info_types"]] if (a["pacs_written"] and srv.get("pac_ack")) else []
        cb_client = (a["compound_mac"].get("Received") is not None and
                     a["compound_mac"].get("Received") == a["compound_mac"].get("Calculated"))
        cb_valid = bool(srv.get("crypto_binding_valid")) and cb_client
        pac_used = PAC_TYPES.get(a["pac_used"]) if a["pac_used"] and srv.get("pac_key_from_opaque") else None
        if a["provisioning"] == "anonymous" and srv.get("anonymous_provisioning"):
            tunnel, provisioning = "anonymous", "anonymous"
        elif pac_used:
            tunnel, provisioning = "pac", None
        else:
            tunnel, provisioning = ("certificate", a["provisioning"])
        ev = [e for e in a["evidence"] if not re.search(r"cipher suite|Handshake finished", e)]
        ev += [e for e in srv.get("evidence", []) if not re.search(r"OpenSSL", e)]
        auths.append({
            "first_frame": frame(1, a["radius_ids"][0]) if a["radius_ids"] else None,
            "final_frame": frame({"Access-Accept": 2, "Access-Reject": 3}.get(a["final_code"], 0), a["final_id"]),
            "final_code": a["final_code"],
            "server_final_code": srv.get("final"),
            "eap_result": a["eap_result"],
            "calling_station_id": a["calling_station_id"],
            "outer_identity": a["outer_identity"],
            "client_port": a["client_port"],
            "eapol_test_run": k + 1,
            "eapol_test_exit_code": args.eapol_test_rc[k] if k < len(args.eapol_test_rc) else None,
            "handshake_kind": kind,
            "cipher_suite": suite_name,
            "anonymous": anonymous,
            "provisioning": provisioning,
            "tunnel": tunnel,
            "pac_in_client_hello": PAC_TYPES.get(a["pac_used"]) if offered_pac and a["pac_used"] else None,
            "pac_used": pac_used,
            "pacs_provisioned": provisioned,
            "inner_methods": a["inner_methods"],
            "inner_method_succeeded": a["inner_success"] and bool(srv.get("mschapv2_ok")),
            "cryptobinding": "verified" if cb_valid else ("failed" if a["compound_mac"] else None),
            "crypto_binding_valid": cb_valid,
            # eapol_test compares the MSK it derived with the Access-Accept's
            # MS-MPPE keys; an Access-Reject carries none.
            "mppe_keys_match": a["mppe_ok"] if a["final_code"] == "Access-Accept" else None,
            "handshakes": [k],
            "phase2_records": phase2,
            "evidence": "; ".join(ev),
        })
        crosschecks.append(common.bytes_check(args.pcap, hs, common.crosscheck(hs, tshark_by_frame)))

    # The PAC file: written by the provisioning run, its PAC-Opaque sent in
    # the ClientHello of the PAC-based run, its PAC-Key the one hostapd
    # generated and later recovered from the PAC-Opaque.
    pac_truth = {"file": os.path.basename(args.pac_file), "entries": []}
    for e in pac_entries:
        key = e.get("PAC-Key", "").lower()
        opaque = e.get("PAC-Opaque", "").lower()
        sent_in = [hs["first_frame"] for hs, a in zip(handshakes, runs)
                   if a["client_hello"] and (pac_opaque_of(hello_fields(a["client_hello"])["extensions"].get(35)) or b"").hex() == opaque]
        generated_by = [k for k, a in enumerate(runs)
                        if (servers.get(a["client_port"], {}).get("generated_pac_key") or b"").hex() == key]
        accepted_in = [k for k, a in enumerate(runs)
                       if (servers.get(a["client_port"], {}).get("pac_key_from_opaque") or b"").hex() == key]
        pac_truth["entries"].append({
            "pac_type": PAC_TYPES.get(int(e.get("PAC-Type", "0")), e.get("PAC-Type")),
            "a_id": e.get("A-ID"), "i_id": e.get("I-ID-txt"), "a_id_info": e.get("A-ID-Info-txt"),
            "provisioned_in_authentication": generated_by[0] if generated_by else None,
            "pac_opaque_in_client_hello_frame": sent_in[0] if sent_in else None,
            "pac_key_accepted_by_server_in_authentication": accepted_in[0] if accepted_in else None,
        })

    # The key log: eapol_test's (the client's), identical to hostapd's.
    base = os.path.join(args.out_dir, args.name)
    keylog_lines = ["CLIENT_RANDOM %s %s" % (hs["client_random"], client_keys[hs["client_random"]])
                    for hs in handshakes if hs["client_random"] in client_keys]
    with open(base + ".keylog", "w") as f:
        f.write("".join(l + "\n" for l in keylog_lines))
    plaintexts = tshark_plaintexts(args.pcap, base + ".keylog")
    decrypt_check = []
    for auth in auths:
        for r in auth["phase2_records"]:
            decrypt_check.append({"frame": r["frame"], "tshark_plaintext_agrees": plaintexts.get(r["frame"]) == r["plaintext"]})

    truth = {
        "capture": os.path.basename(args.pcap),
        "scenario": args.name,
        "peers": "hostapd 2.10 (RADIUS server, integrated EAP server, eap_fast_prov=3) and eapol_test 2.10 "
                 "(supplicant+NAS, phase1 fast_provisioning=1), one eapol_test process per authentication",
        "eapol_test_exit_codes": args.eapol_test_rc,
        "handshakes": handshakes,
        "authentications": auths,
        "pac_file": pac_truth,
        "keylog": {"file": os.path.basename(base + ".keylog"), "lines": len(keylog_lines),
                   "source": "OpenSSL's key log callback in both peers (keylog/sslkeylog.c preloaded); "
                             "client's and server's logs are identical" if client_keys == server_keys else
                             "OpenSSL's key log callback in eapol_test (keylog/sslkeylog.c preloaded); "
                             "hostapd's differs"},
        "tshark_crosscheck": crosschecks,
        "tshark_decrypt_crosscheck": decrypt_check,
        "notes": NOTES.get(args.name, ""),
    }
    with open(base + ".truth.json", "w") as f:
        json.dump(common.sanitize(truth), f, indent=2)
        f.write("\n")
    client_kept = []
    for a in runs:
        client_kept.append("=== eapol_test run %d (client port %s) ===" % (a["run"], a["client_port"]))
        client_kept += a["kept"]
    common.write_trimmed(base + ".client.log", client_kept, args.redact)
    common.write_trimmed(base + ".server.log", server_kept, args.redact)
    report(truth)


NOTES = {
    "F-prov": "Two eapol_test runs against hostapd, one capture. Run 1 has no PAC: the ClientHello offers "
              "only the anonymous suite (ADH-AES128-SHA, plus the renegotiation SCSV), hostapd picks TLS_DH_anon_WITH_AES_128_CBC_SHA "
              "(ServerKeyExchange, no Certificate), phase 2 asks the inner identity, runs EAP-MSCHAPv2, "
              "verifies crypto-binding, delivers a Tunnel PAC (PAC TLV; eapol_test writes F-prov.pac and "
              "acknowledges) and then fails the conversation on purpose (RFC 5422: no network access after "
              "server-unauthenticated provisioning, hence Access-Reject). Run 2 reads F-prov.pac and sends its PAC-Opaque in the ClientHello "
              "SessionTicket extension with an empty session ID; hostapd decrypts the PAC-Opaque, derives the "
              "master secret from the PAC-Key and answers with ServerHello (a new 32-byte session ID) + "
              "ChangeCipherSpec + Finished: abbreviated handshake, cipher suite "
              "TLS_DHE_RSA_WITH_AES_256_CBC_SHA although no key exchange happens; it knows the inner "
              "identity from the PAC-Opaque and skips the phase 2 identity request; EAP-MSCHAPv2, "
              "crypto-binding, Access-Accept. The master secret of the PAC-based tunnel follows from "
              "F-prov.pac (RFC 4851 5.1: T-PRF(PAC-Key, \"PAC to master secret label hash\", server_random "
              "+ client_random)); F-prov.keylog holds both tunnels' master secrets as the peers' OpenSSL "
              "reported them.",
}


def report(truth):
    print("%s: %d authentication(s)" % (truth["scenario"], len(truth["authentications"])))
    for a, h in zip(truth["authentications"], truth["handshakes"]):
        print("  frames %s..%s %-13s %-11s resumption=%-5s %s anonymous=%s tunnel=%s provisioning=%s pac_used=%s "
              "provisioned=%s inner=%s cryptobinding=%s phase2 records=%d (peers agree: %s)" % (
                  a["first_frame"], a["final_frame"], a["final_code"], h["kind"], h["resumption"], h["cipher_suite"],
                  h["anonymous"], a["tunnel"], a["provisioning"], a["pac_used"], a["pacs_provisioned"],
                  a["inner_methods"], a["cryptobinding"], len(a["phase2_records"]),
                  all(r["peers_agree"] for r in a["phase2_records"])))
    for c in truth["tshark_crosscheck"]:
        print("  tshark: ch=%s cid=%s sid=%s bytes=%s %s" % (c["client_hello_decoded"], c["client_session_id_agrees"],
                                                             c["server_session_id_agrees"], c["bytes_agree"], c["note"]))
    d = truth["tshark_decrypt_crosscheck"]
    print("  tshark with %s decrypts %d/%d phase 2 records to the peers' plaintext" % (
        truth["keylog"]["file"], sum(1 for x in d if x["tshark_plaintext_agrees"]), len(d)))
    for e in truth["pac_file"]["entries"]:
        print("  PAC file: %s" % e)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--name", required=True)
    p.add_argument("--pcap", required=True)
    p.add_argument("--client-logs", nargs="+", required=True, help="eapol_test output, one per run, in order")
    p.add_argument("--server-log", required=True, help="hostapd -dd -K output")
    p.add_argument("--pac-file", required=True)
    p.add_argument("--client-keylog", required=True)
    p.add_argument("--server-keylog", required=True)
    p.add_argument("--redact", action="append", default=[])
    p.add_argument("--eapol-test-rc", type=int, nargs="+", default=[])
    p.add_argument("--out-dir", required=True)
    fast(p.parse_args())


if __name__ == "__main__":
    sys.exit(main())
