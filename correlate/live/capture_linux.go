//go:build linux

package live

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket/afpacket"
	"golang.org/x/sys/unix"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Capture reads one interface through an AF_PACKET TPACKET_V3 ring.
type Capture struct {
	tp     *afpacket.TPacket
	iface  string
	filter *Filter
	// armed is when the kernel filter took effect: packets queued
	// before it are filtered here.
	armed  time.Time
	closed bool
}

// blockBytes is the size of one ring block; frames are up to this long.
const blockBytes = 1 << 20

// Open opens the interface for capture and attaches the filter. Errors are
// *OpenError.
func Open(cfg Config) (*Capture, error) {
	name := cfg.Interface
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, &OpenError{Interface: name, Err: ErrNoInterface, Detail: interfaceList()}
	}
	hatype, err := linkHardwareType(ifc.Index)
	if err != nil {
		return nil, &OpenError{Interface: name, Err: err}
	}
	if hatype != unix.ARPHRD_ETHER && hatype != unix.ARPHRD_LOOPBACK {
		return nil, &OpenError{Interface: name, Err: ErrLinkType,
			Detail: fmt.Sprintf("ARPHRD %d; sscope live captures Ethernet interfaces such as span and mirror ports", hatype)}
	}
	ring := cfg.RingBytes
	if ring <= 0 {
		ring = DefaultRingBytes
	}
	blocks := max(ring/blockBytes, 2)
	poll := cfg.PollInterval
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	tp, err := afpacket.NewTPacket(
		afpacket.OptInterface(name),
		afpacket.TPacketVersion3,
		afpacket.OptFrameSize(1<<16),
		afpacket.OptBlockSize(blockBytes),
		afpacket.OptNumBlocks(blocks),
		afpacket.OptBlockTimeout(20*time.Millisecond),
		afpacket.OptPollTimeout(poll),
		afpacket.OptAddVLANHeader(true),
	)
	if err != nil {
		return nil, openFailure(name, err)
	}
	c := &Capture{tp: tp, iface: name, filter: cfg.Filter}
	if cfg.Filter != nil && cfg.Filter.Raw() != nil {
		if err := tp.SetBPF(cfg.Filter.Raw()); err != nil {
			tp.Close()
			return nil, &OpenError{Interface: name, Err: fmt.Errorf("attaching the capture filter: %w", err)}
		}
	}
	c.armed = time.Now()
	if !cfg.NoPromiscuous {
		if err := tp.SetPromiscuous(true); err != nil {
			tp.Close()
			return nil, openFailure(name, fmt.Errorf("promiscuous mode: %w", err))
		}
	}
	return c, nil
}

func openFailure(name string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return &OpenError{Interface: name, Err: ErrPermission,
			Detail: "run as root, or grant it once: sudo setcap cap_net_raw+ep $(command -v sscope)"}
	}
	if errors.Is(err, unix.ENODEV) || errors.Is(err, unix.ENXIO) {
		return &OpenError{Interface: name, Err: ErrNoInterface, Detail: interfaceList()}
	}
	return &OpenError{Interface: name, Err: err}
}

// interfaceList names the interfaces there are, for an error message.
func interfaceList() string {
	ifs, err := net.Interfaces()
	if err != nil || len(ifs) == 0 {
		return "no interfaces found"
	}
	names := make([]string, 0, len(ifs))
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	sort.Strings(names)
	return "interfaces here: " + strings.Join(names, ", ")
}

// linkHardwareType asks the kernel (rtnetlink) for the interface's ARPHRD
// type.
func linkHardwareType(index int) (uint16, error) {
	rib, err := syscall.NetlinkRIB(syscall.RTM_GETLINK, syscall.AF_UNSPEC)
	if err != nil {
		return 0, fmt.Errorf("listing links: %w", err)
	}
	msgs, err := syscall.ParseNetlinkMessage(rib)
	if err != nil {
		return 0, fmt.Errorf("listing links: %w", err)
	}
	for _, m := range msgs {
		if m.Header.Type != syscall.RTM_NEWLINK || len(m.Data) < syscall.SizeofIfInfomsg {
			continue
		}
		info := (*syscall.IfInfomsg)(unsafe.Pointer(&m.Data[0]))
		if int(info.Index) == index {
			return info.Type, nil
		}
	}
	return 0, fmt.Errorf("%w: interface index %d not listed by the kernel", ErrNoInterface, index)
}

// Next reads the next packet into p; p.Data is valid until the next call.
// It returns ErrNoPacket when nothing arrived within the poll interval.
// p.Frame is left for the caller to number.
func (c *Capture) Next(p *source.Packet) error {
	for {
		data, ci, err := c.tp.ZeroCopyReadPacketData()
		if err != nil {
			if errors.Is(err, afpacket.ErrTimeout) {
				return ErrNoPacket
			}
			return fmt.Errorf("reading from %s: %w", c.iface, err)
		}
		// Packets queued before the kernel filter was attached.
		if c.filter != nil && ci.Timestamp.Before(c.armed) && !c.filter.Match(data) {
			continue
		}
		p.Data = data
		p.Timestamp = ci.Timestamp
		p.CaptureLength = ci.CaptureLength
		p.Length = ci.Length
		p.Link = packet.LinkEthernet
		return nil
	}
}

// LinkType is the link type of the packets: Ethernet.
func (c *Capture) LinkType() packet.LinkType { return packet.LinkEthernet }

// Interface is the interface's name.
func (c *Capture) Interface() string { return c.iface }

// Started is when the capture began filtering.
func (c *Capture) Started() time.Time { return c.armed }

// Stats returns the kernel's counters since Open.
func (c *Capture) Stats() (KernelStats, error) {
	_, v3, err := c.tp.SocketStats()
	if err != nil {
		return KernelStats{}, err
	}
	return KernelStats{Received: uint64(v3.Packets()), Dropped: uint64(v3.Drops()), Freezes: uint64(v3.QueueFreezes())}, nil
}

// Close releases the socket and its ring; the interface leaves
// promiscuous mode with it.
func (c *Capture) Close() error {
	if !c.closed {
		c.closed = true
		c.tp.Close()
	}
	return nil
}
