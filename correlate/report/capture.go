package report

// Capture describes a live capture: the interface and filter, why it
// stopped, and the packets lost on the way — dropped by the kernel because
// its ring was full, or by sscope because the analysis fell behind.
type Capture struct {
	Interface string `json:"interface"`
	Filter    string `json:"filter"`
	// Stopped: interrupted (SIGINT/SIGTERM), count, duration or error.
	Stopped        string `json:"stopped"`
	KernelReceived uint64 `json:"kernel_received"`
	KernelDropped  uint64 `json:"kernel_dropped"`
	QueueDropped   uint64 `json:"queue_dropped"`
	// Files are the pcapng files written (-w), in order.
	Files []string `json:"files"`
}
