package radiusconv

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/ttls"
)

// ttlsLayer is the timeline layer of EAP-TTLS AVPs.
const ttlsLayer = "ttls"

// ttlsPhase2 follows one decrypted EAP-TTLS message: its AVPs, the inner
// method they reveal, and the inner EAP packet of EAP-Message AVPs.
func (c *conversation) ttlsPhase2(dir flow.Dir, data []byte, at flow.Ref) {
	avps, err := ttls.Parse(data)
	var names []string
	var eapData []byte
	for _, a := range avps {
		name := a.Name()
		names = append(names, name)
		if dir == flow.ClientToServer && len(c.ttlsAVPs) < 32 {
			c.ttlsAVPs = append(c.ttlsAVPs, name)
		}
		switch {
		case a.VendorID == ttls.VendorIETF && a.Code == ttls.CodeEAPMessage:
			eapData = append(eapData, a.Data...)
		case a.VendorID == ttls.VendorIETF && a.Code == ttls.CodeUserName && dir == flow.ClientToServer:
			c.ttlsUser = string(a.Data)
		case a.VendorID == ttls.VendorMicrosoft && a.Code == ttls.MSCHAP2Success:
			c.ttlsResult = resultSuccess
		case a.VendorID == ttls.VendorMicrosoft && a.Code == ttls.MSCHAPError:
			c.ttlsResult = resultFailure
			msg := string(a.Data)
			if len(msg) > 0 && msg[0] < 0x20 {
				msg = msg[1:] // the MS-CHAP identifier
			}
			if f, err := eap.ParseMSCHAPv2Failure(msg); err == nil {
				c.innerFail = fmt.Sprintf("%s E=%d (%s)", c.ttlsMethod, f.Error, f.ErrorName())
			}
			c.b.Evidence("eap.inner-failure", at.Frame)
		}
		if m := ttls.InnerMethod(a); m != "" && dir == flow.ClientToServer && c.ttlsMethod == "" {
			c.ttlsMethod = m
			c.innerRan = true
			if len(c.innerMethods) < maxInner {
				c.innerMethods = append(c.innerMethods, m)
			}
			if c.ttlsUser != "" && len(c.innerIDs) < maxInner {
				c.innerIDs = append(c.innerIDs, c.ttlsUser)
			}
		}
	}
	detail := strings.Join(names, ", ")
	if c.ttlsUser != "" && dir == flow.ClientToServer {
		detail += fmt.Sprintf("; User-Name %q", c.ttlsUser)
	}
	if dir == flow.ClientToServer && c.ttlsMethod != "" && c.ttlsMethod != "MS-CHAP-V2" {
		detail += "; credentials " + report.Redacted
	}
	c.b.Event(dir, at, ttlsLayer, "AVPs", detail)
	if err != nil {
		c.b.Event(dir, at, ttlsLayer, "malformed AVP", err.Error())
	}
	if len(eapData) > 0 {
		c.innerPacket(dir, eapData, at)
	}
}
