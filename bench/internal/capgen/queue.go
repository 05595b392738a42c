package capgen

import "container/heap"

// CopyQueue orders the copies in progress by the time of their next frame
// (ties by copy number, so output is deterministic).
type CopyQueue struct{ h copyHeap }

// Push adds a copy that still has frames to emit.
func (q *CopyQueue) Push(c *Copy) { heap.Push(&q.h, c) }

// Len is the number of copies in progress.
func (q *CopyQueue) Len() int { return len(q.h) }

// Peek returns the copy whose next frame comes first, or nil.
func (q *CopyQueue) Peek() *Copy {
	if len(q.h) == 0 {
		return nil
	}
	return q.h[0]
}

// Fix restores the order after the first copy emitted a frame, removing it
// when it is done.
func (q *CopyQueue) Fix() {
	if q.h[0].Done() {
		heap.Pop(&q.h)
		return
	}
	heap.Fix(&q.h, 0)
}

type copyHeap []*Copy

func (h copyHeap) Len() int { return len(h) }
func (h copyHeap) Less(i, j int) bool {
	ti, tj := h[i].NextTime(), h[j].NextTime()
	if ti != tj {
		return ti < tj
	}
	return h[i].Index < h[j].Index
}
func (h copyHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *copyHeap) Push(x any)   { *h = append(*h, x.(*Copy)) }
func (h *copyHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}
