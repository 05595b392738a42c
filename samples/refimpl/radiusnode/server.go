package radiusnode

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sessionscope/sscope/dissect/radius"
)

// Defaults of the Server.
const (
	// DefaultDuplicateLifetime is how long an answer is kept for
	// retransmissions of its request (RFC 5080 section 2.2.2 asks for at
	// least the NAS's whole retransmission window).
	DefaultDuplicateLifetime = 30 * time.Second
	// duplicateLimit caps the answers kept, whatever the clock says.
	duplicateLimit = 4096
)

// Errors of Server.Handle: why a datagram got no answer.
var (
	ErrMalformed                   = errors.New("radiusnode: malformed RADIUS packet")
	ErrNotAccessRequest            = errors.New("radiusnode: not an Access-Request or Status-Server")
	ErrMissingMessageAuthenticator = errors.New("radiusnode: EAP request without Message-Authenticator")
	ErrBadMessageAuthenticator     = errors.New("radiusnode: wrong Message-Authenticator")
	ErrDiscarded                   = errors.New("radiusnode: handler discarded the request")
)

// Server answers Access-Requests for one shared secret. Set the fields
// before the first Handle; Handle may then be called from several
// goroutines (calls are serialised).
type Server struct {
	// Secret is the shared secret with the NAS (required).
	Secret []byte
	// Handler decides the answers (required).
	Handler Handler
	// Rand gives the salts of the MPPE key attributes (required when a
	// Response carries keys).
	Rand io.Reader
	// Time is the clock of the duplicate cache (default time.Now).
	Time func() time.Time
	// DuplicateLifetime overrides DefaultDuplicateLifetime.
	DuplicateLifetime time.Duration

	mu         sync.Mutex
	dups       *duplicateCache
	duplicates int
}

// Duplicates returns how many retransmitted requests were answered from
// the duplicate cache.
func (s *Server) Duplicates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.duplicates
}

func (s *Server) now() time.Time {
	if s.Time != nil {
		return s.Time()
	}
	return time.Now()
}

// Handle processes one datagram from source and returns the answer to send
// back, or nil and an error saying why the request is silently discarded
// (RFC 2865 section 3 and RFC 3579 section 3.2 discard rather than answer
// packets that fail authentication).
func (s *Server) Handle(source string, datagram []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, err := radius.Parse(datagram)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if req.Code != radius.CodeAccessRequest && req.Code != radius.CodeStatusServer {
		return nil, fmt.Errorf("%w: %s", ErrNotAccessRequest, req.Code)
	}
	if err := s.checkMessageAuthenticator(req); err != nil {
		return nil, err
	}
	if s.dups == nil {
		lifetime := s.DuplicateLifetime
		if lifetime <= 0 {
			lifetime = DefaultDuplicateLifetime
		}
		s.dups = newDuplicateCache(lifetime, duplicateLimit)
	}
	key := duplicateKey{source: source, id: req.Identifier, auth: req.Authenticator}
	now := s.now()
	if answer, ok := s.dups.get(key, now); ok {
		s.duplicates++
		return answer, nil
	}
	var resp *Response
	if req.Code == radius.CodeStatusServer {
		// RFC 5997 section 3: an authentication server answers
		// Status-Server with Access-Accept.
		resp = &Response{Code: radius.CodeAccessAccept}
	} else if s.Handler != nil {
		resp = s.Handler.ServeRADIUS(&Request{Source: source, Packet: req})
	}
	if resp == nil {
		return nil, ErrDiscarded
	}
	answer, err := s.sign(req, resp)
	if err != nil {
		return nil, err
	}
	s.dups.put(key, answer, now)
	return answer, nil
}

// checkMessageAuthenticator enforces RFC 3579 section 3.2: a request with
// EAP-Message must carry a Message-Authenticator, and any
// Message-Authenticator present must be right. RFC 5997 section 3 asks the
// same of Status-Server.
func (s *Server) checkMessageAuthenticator(req *radius.Packet) error {
	if !req.HasMessageAuthenticator() {
		if req.Has(radius.AttrEAPMessage) || req.Code == radius.CodeStatusServer {
			return ErrMissingMessageAuthenticator
		}
		return nil
	}
	ok, err := radius.VerifyMessageAuthenticator(req.Raw, s.Secret, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadMessageAuthenticator, err)
	}
	if !ok {
		return ErrBadMessageAuthenticator
	}
	return nil
}

// sign builds the answer to req: the handler's attributes, the MPPE keys,
// the request's Proxy-State attributes (RFC 2865 section 5.33), a
// Message-Authenticator, and the Response Authenticator over it all.
func (s *Server) sign(req *radius.Packet, resp *Response) ([]byte, error) {
	p := radius.Packet{Code: resp.Code, Identifier: req.Identifier}
	p.Attributes = append(p.Attributes, resp.Attributes...)
	if resp.MPPERecvKey != nil || resp.MPPESendKey != nil {
		if s.Rand == nil {
			return nil, errors.New("radiusnode: MPPE keys to hide and no Server.Rand")
		}
		salts, err := s.salts()
		if err != nil {
			return nil, err
		}
		if resp.MPPERecvKey != nil {
			p.Attributes = append(p.Attributes, radius.VendorAttribute(radius.VendorMicrosoft, radius.MSMPPERecvKey,
				radius.EncryptMPPEKey(resp.MPPERecvKey, s.Secret, req.Authenticator, salts[0])))
		}
		if resp.MPPESendKey != nil {
			p.Attributes = append(p.Attributes, radius.VendorAttribute(radius.VendorMicrosoft, radius.MSMPPESendKey,
				radius.EncryptMPPEKey(resp.MPPESendKey, s.Secret, req.Authenticator, salts[1])))
		}
	}
	for _, ps := range req.GetAll(radius.AttrProxyState) {
		p.Attributes = append(p.Attributes, radius.BytesAttribute(radius.AttrProxyState, ps))
	}
	p.Attributes = append(p.Attributes, radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16)))
	b, err := p.Marshal()
	if err != nil {
		return nil, err
	}
	if err := radius.SetMessageAuthenticator(b, s.Secret, &req.Authenticator); err != nil {
		return nil, err
	}
	ra := radius.ResponseAuthenticator(b, req.Authenticator, s.Secret)
	copy(b[4:radius.HeaderLen], ra[:])
	return b, nil
}

// salts returns two distinct salts for the MPPE keys of one packet (RFC
// 2548 section 2.4.2: each salt in a packet must be unique).
func (s *Server) salts() ([2]uint16, error) {
	var b [2]byte
	var out [2]uint16
	for i := range out {
		for {
			if _, err := io.ReadFull(s.Rand, b[:]); err != nil {
				return out, err
			}
			out[i] = binary.BigEndian.Uint16(b[:]) | 0x8000
			if i == 0 || out[1] != out[0] {
				break
			}
		}
	}
	return out, nil
}
