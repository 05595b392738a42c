package tls

// The TLS 1.3 key schedule and record protection against the Simple
// 1-RTT Handshake of RFC 8448 section 3: every secret, key and record of
// the trace is recomputed or opened from the hellos and the (EC)DHE
// shared secret.

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// RFC 8448 section 3 messages and records.
const (
	// Certificate, CertificateVerify and Finished after the
	// EncryptedExtensions of messages_test.go: the server's encrypted flight.
	rfc8448CertificateToFinished = `
0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a
864886f70d01010b0500300e310c300a06035504031303727361301e170d3136
303733303031323335395a170d3236303733303031323335395a300e310c300a
0603550403130372736130819f300d06092a864886f70d010101050003818d00
30818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826
d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced4312
0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda4308467480
30530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a
8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b060355
1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5
b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a5
8c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102
702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0
a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de100000f0000
84080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52
f1fda8477b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248eeaaa785
c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c9ea58c
181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53df
acd42f74f3140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb
7fffee5454b78f0718`
	rfc8448ServerFlightRecord = `
17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35e
df7869fcf40aa40aa2b8ea73f848a7ca07612ef9f945cb960b4068905123ea78
b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b
d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9
d7477609aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d71035d2e
d65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092
8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead68694
5ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b368
4596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f
4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26
f59ecaba9acbbb317b66d902f4f292a36ac1b639c637ce343117b65962224531
7b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e
1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da
8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7cca71e4599426f7d4
61e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe
5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb
992f2b992f67f8afe67f76913fa388cb5630c8ca01e0c65d11c66a1e2ac4c859
77b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038
ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b84
5e275592c12335ee340bbc4fddd502784016e4b3be7ef04dda49f4b440a30cb5
d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e
750edc53370d2b`
	rfc8448ClientFinishedRecord = `
1703030035 75ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f8
0338ac98fc46deb384bd1caeacab6867d726c40546`
	rfc8448ClientAppRecord = `
1703030043 a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5
b46b395bd54a9a20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4`
	rfc8448ServerAppRecord = `
1703030043 2e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d
90e6dffc602dcb501a59a8fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d`
)

func TestTLS13KeyScheduleRFC8448(t *testing.T) {
	h := sha256.New
	ch, sh := mustHex(t, rfc8448ClientHello), mustHex(t, rfc8448ServerHello)
	flight := append(mustHex(t, rfc8448EncryptedExtensions), mustHex(t, rfc8448CertificateToFinished)...)
	shared := mustHex(t, "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d")
	check := func(name string, got []byte, want string) {
		t.Helper()
		if !bytes.Equal(got, mustHex(t, want)) {
			t.Fatalf("%s %x, RFC 8448 %s", name, got, want)
		}
	}
	transcript := func(msgs ...[]byte) []byte {
		s := sha256.New()
		for _, m := range msgs {
			s.Write(m)
		}
		return s.Sum(nil)
	}

	early := TLS13EarlySecret(h, nil)
	check("early secret", early, "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a")
	hs := TLS13HandshakeSecret(h, early, shared)
	check("handshake secret", hs, "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac")
	helloHash := transcript(ch, sh)
	check("hello hash", helloHash, "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8")
	cHS := TLS13DeriveSecret(h, hs, LabelClientHandshakeTraffic, helloHash)
	sHS := TLS13DeriveSecret(h, hs, LabelServerHandshakeTraffic, helloHash)
	check("client handshake traffic secret", cHS, "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21")
	check("server handshake traffic secret", sHS, "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38")
	key, iv, err := TLS13TrafficKeys(TLS_AES_128_GCM_SHA256, sHS)
	if err != nil {
		t.Fatal(err)
	}
	check("server handshake key", key, "3fce516009c21727d0f2e4e86ee403bc")
	check("server handshake iv", iv, "5d313eb2671276ee13000b30")

	ms := TLS13MasterSecret(h, hs)
	check("master secret", ms, "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919")
	finHash := transcript(ch, sh, flight)
	check("transcript through server Finished", finHash, "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13")
	cAP := TLS13DeriveSecret(h, ms, LabelClientApplicationTraffic, finHash)
	sAP := TLS13DeriveSecret(h, ms, LabelServerApplicationTraffic, finHash)
	check("client application traffic secret", cAP, "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5")
	check("server application traffic secret", sAP, "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643")

	open := func(name string, secret []byte, seq uint64, record string) (ContentType, []byte) {
		t.Helper()
		rc, err := NewTLS13RecordCipher(TLS_AES_128_GCM_SHA256, secret)
		if err != nil {
			t.Fatal(err)
		}
		rc.SetSequence(seq)
		rec, n, err := ParseRecord(mustHex(t, record), false)
		if err != nil || n != len(mustHex(t, record)) {
			t.Fatalf("%s: %v", name, err)
		}
		typ, p, err := rc.Open(rec.Type, rec.Version, rec.Fragment)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Sealing again gives the RFC's bytes.
		rc.SetSequence(seq)
		again, err := rc.Seal(typ, rec.Version, p, nil)
		if err != nil || !bytes.Equal(again, rec.Fragment) {
			t.Fatalf("%s: sealed %x, RFC %x", name, again, rec.Fragment)
		}
		// One sequence number off does not open.
		rc.SetSequence(seq + 1)
		if _, _, err := rc.Open(rec.Type, rec.Version, rec.Fragment); err != ErrBadRecordMAC {
			t.Fatalf("%s opens at the wrong sequence number: %v", name, err)
		}
		return typ, p
	}
	typ, p := open("server flight", sHS, 0, rfc8448ServerFlightRecord)
	if typ != ContentHandshake || !bytes.Equal(p, flight) {
		t.Fatalf("server flight: %s %x", typ, p)
	}
	typ, p = open("client Finished", cHS, 0, rfc8448ClientFinishedRecord)
	check("client Finished", p, "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61")
	if typ != ContentHandshake {
		t.Fatalf("client Finished in a %s record", typ)
	}
	payload := make([]byte, 50)
	for i := range payload {
		payload[i] = byte(i)
	}
	if typ, p = open("client application data", cAP, 0, rfc8448ClientAppRecord); typ != ContentApplicationData || !bytes.Equal(p, payload) {
		t.Fatalf("client application data: %s %x", typ, p)
	}
	// The server's first application-traffic record is its
	// NewSessionTicket; the data is the second.
	if typ, p = open("server application data", sAP, 1, rfc8448ServerAppRecord); typ != ContentApplicationData || !bytes.Equal(p, payload) {
		t.Fatalf("server application data: %s %x", typ, p)
	}
}
