package tlsengine

import (
	"crypto/ecdh"
	"crypto/rsa"
	"io"
	"math/big"

	"github.com/sessionscope/sscope/dissect/tls"
)

// groupP256 is secp256r1 in supported_groups and ServerECDHParams, and
// pointFormatUncompressed the only ec_point_format (RFC 8422).
const (
	groupP256               uint16 = 23
	pointFormatUncompressed uint8  = 0
)

// keyAgreement is one handshake's key exchange: the ephemeral secret of
// this endpoint and the peer's public value. Every secret is drawn from
// the endpoint's reader through deterministic constructions.
type keyAgreement struct {
	suite *suite

	ecdhKey  *ecdh.PrivateKey
	ecdhPeer *ecdh.PublicKey

	dhP, dhG, dhX, dhPeer *big.Int
}

// newP256Key draws a P-256 private key: 32 bytes from r, redrawn in the
// (negligible) case they are not a valid scalar.
func newP256Key(r io.Reader) (*ecdh.PrivateKey, error) {
	b := make([]byte, 32)
	for {
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		if k, err := ecdh.P256().NewPrivateKey(b); err == nil {
			return k, nil
		}
	}
}

// newDHExponent draws a private exponent in [2, p-2].
func newDHExponent(r io.Reader, p *big.Int) (*big.Int, error) {
	b := make([]byte, dhExponentBytes)
	limit := new(big.Int).Sub(p, big.NewInt(2))
	for {
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		x := new(big.Int).SetBytes(b)
		if x.Cmp(big.NewInt(2)) >= 0 && x.Cmp(limit) <= 0 {
			return x, nil
		}
	}
}

// serverParams draws the server's ephemeral key and returns the unsigned
// ServerKeyExchange parameters.
func (ka *keyAgreement) serverParams(r io.Reader) (*tls.ServerKeyExchangeParams, error) {
	p := &tls.ServerKeyExchangeParams{KeyExchange: ka.suite.kx}
	switch ka.suite.kx {
	case tls.KeyExchangeECDHE_RSA:
		k, err := newP256Key(r)
		if err != nil {
			return nil, err
		}
		ka.ecdhKey = k
		p.CurveType, p.NamedGroup, p.PublicKey = tls.CurveTypeNamedCurve, groupP256, k.PublicKey().Bytes()
	case tls.KeyExchangeDHE_RSA, tls.KeyExchangeDH_anon:
		x, err := newDHExponent(r, ffdhe2048P)
		if err != nil {
			return nil, err
		}
		ka.dhP, ka.dhG, ka.dhX = ffdhe2048P, ffdhe2048G, x
		size := (ffdhe2048P.BitLen() + 7) / 8
		y := new(big.Int).Exp(ffdhe2048G, x, ffdhe2048P)
		p.DHP, p.DHG, p.PublicKey = ffdhe2048P.Bytes(), ffdhe2048G.Bytes(), y.FillBytes(make([]byte, size))
	default:
		return nil, fail(alertInternalError, "no ServerKeyExchange for %s", ka.suite.kx)
	}
	return p, nil
}

// clientReadParams takes the server's parameters from its
// ServerKeyExchange and checks them.
func (ka *keyAgreement) clientReadParams(p *tls.ServerKeyExchangeParams) error {
	switch ka.suite.kx {
	case tls.KeyExchangeECDHE_RSA:
		if p.CurveType != tls.CurveTypeNamedCurve || p.NamedGroup != groupP256 {
			return fail(alertIllegalParameter, "server chose group %s", tls.NamedGroupName(p.NamedGroup))
		}
		pub, err := ecdh.P256().NewPublicKey(p.PublicKey)
		if err != nil {
			return fail(alertIllegalParameter, "server's P-256 point: %v", err)
		}
		ka.ecdhPeer = pub
	case tls.KeyExchangeDHE_RSA, tls.KeyExchangeDH_anon:
		dp, dg, y := new(big.Int).SetBytes(p.DHP), new(big.Int).SetBytes(p.DHG), new(big.Int).SetBytes(p.PublicKey)
		if dp.BitLen() < minDHPrimeBits || dp.BitLen() > maxDHPrimeBits || dp.Bit(0) == 0 {
			return fail(alertInsufficientSecurity, "DH prime of %d bits", dp.BitLen())
		}
		pm1 := new(big.Int).Sub(dp, big.NewInt(1))
		if dg.Cmp(big.NewInt(1)) <= 0 || dg.Cmp(pm1) >= 0 || y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(pm1) >= 0 {
			return fail(alertIllegalParameter, "DH generator or public value out of range")
		}
		ka.dhP, ka.dhG, ka.dhPeer = dp, dg, y
	default:
		return fail(alertUnexpectedMessage, "ServerKeyExchange with %s", ka.suite.kx)
	}
	return nil
}

// clientExchange makes the ClientKeyExchange body and the premaster
// secret. serverKey is the key of the server's certificate (RSA suites).
func (ka *keyAgreement) clientExchange(r io.Reader, serverKey *rsa.PublicKey) (body, preMaster []byte, err error) {
	cke := &tls.ClientKeyExchangeParams{KeyExchange: ka.suite.kx}
	switch ka.suite.kx {
	case tls.KeyExchangeRSA:
		preMaster = make([]byte, tls.PreMasterSecretLen)
		preMaster[0], preMaster[1] = byte(versionTLS12>>8), byte(versionTLS12&0xff)
		if _, err := io.ReadFull(r, preMaster[2:]); err != nil {
			return nil, nil, err
		}
		if serverKey == nil {
			return nil, nil, fail(alertInternalError, "no server key for RSA key transport")
		}
		ct, err := tls.RSAEncryptPreMaster(r, serverKey, preMaster)
		if err != nil {
			return nil, nil, fail(alertInternalError, "RSA encryption: %v", err)
		}
		cke.EncryptedPreMasterSecret = ct
	case tls.KeyExchangeECDHE_RSA:
		if ka.ecdhPeer == nil {
			return nil, nil, fail(alertUnexpectedMessage, "no ServerKeyExchange before ServerHelloDone")
		}
		k, err := newP256Key(r)
		if err != nil {
			return nil, nil, err
		}
		if preMaster, err = k.ECDH(ka.ecdhPeer); err != nil {
			return nil, nil, fail(alertIllegalParameter, "ECDH: %v", err)
		}
		cke.PublicKey = k.PublicKey().Bytes()
	case tls.KeyExchangeDHE_RSA, tls.KeyExchangeDH_anon:
		if ka.dhPeer == nil {
			return nil, nil, fail(alertUnexpectedMessage, "no ServerKeyExchange before ServerHelloDone")
		}
		x, err := newDHExponent(r, ka.dhP)
		if err != nil {
			return nil, nil, err
		}
		size := (ka.dhP.BitLen() + 7) / 8
		cke.PublicKey = new(big.Int).Exp(ka.dhG, x, ka.dhP).FillBytes(make([]byte, size))
		z := new(big.Int).Exp(ka.dhPeer, x, ka.dhP)
		if z.Cmp(big.NewInt(1)) <= 0 {
			return nil, nil, fail(alertIllegalParameter, "degenerate DH shared secret")
		}
		preMaster = z.Bytes() // leading zero bytes stripped (RFC 5246 section 8.1.2)
	default:
		return nil, nil, fail(alertInternalError, "key exchange %s", ka.suite.kx)
	}
	return cke.Marshal(versionTLS12), preMaster, nil
}

// serverExchange reads the ClientKeyExchange body and returns the
// premaster secret. For RSA key transport a wrong ciphertext yields a
// random premaster secret drawn from r, so that the failure shows only at
// Finished (RFC 5246 section 7.4.7.1).
func (ka *keyAgreement) serverExchange(r io.Reader, body []byte, key *rsa.PrivateKey) ([]byte, error) {
	p, err := tls.ParseClientKeyExchange(body, ka.suite.kx, versionTLS12)
	if err != nil {
		return nil, fail(alertDecodeError, "ClientKeyExchange: %v", err)
	}
	switch ka.suite.kx {
	case tls.KeyExchangeRSA:
		fallback := make([]byte, tls.PreMasterSecretLen)
		if _, err := io.ReadFull(r, fallback); err != nil {
			return nil, err
		}
		if key == nil {
			return nil, fail(alertInternalError, "no certificate key for RSA key transport")
		}
		pms, ok := tls.RSADecryptPreMaster(key, p.EncryptedPreMasterSecret)
		if !ok || len(pms) != tls.PreMasterSecretLen || pms[0] != byte(versionTLS12>>8) || pms[1] != byte(versionTLS12&0xff) {
			return fallback, nil
		}
		return pms, nil
	case tls.KeyExchangeECDHE_RSA:
		pub, err := ecdh.P256().NewPublicKey(p.PublicKey)
		if err != nil {
			return nil, fail(alertIllegalParameter, "client's P-256 point: %v", err)
		}
		pms, err := ka.ecdhKey.ECDH(pub)
		if err != nil {
			return nil, fail(alertIllegalParameter, "ECDH: %v", err)
		}
		return pms, nil
	case tls.KeyExchangeDHE_RSA, tls.KeyExchangeDH_anon:
		y := new(big.Int).SetBytes(p.PublicKey)
		pm1 := new(big.Int).Sub(ka.dhP, big.NewInt(1))
		if y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(pm1) >= 0 {
			return nil, fail(alertIllegalParameter, "client's DH public value out of range")
		}
		return new(big.Int).Exp(y, ka.dhX, ka.dhP).Bytes(), nil
	}
	return nil, fail(alertInternalError, "key exchange %s", ka.suite.kx)
}
