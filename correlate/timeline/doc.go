// Package timeline builds a report session as packets arrive: its extent
// (first and last frame, times, packet count), its timeline of events and
// the evidence the rules judge. Every protocol tracker in correlate uses it,
// so sessions of every kind are built the same way.
package timeline
