// Package frames gives the terminal UI the bytes behind a timeline event:
// it reads frames back from the capture files by input and frame number
// (through correlate/source, with a cache and resume points so that a
// frame deep in a large file does not mean reading the file again from
// its start), lays them out as a hex dump, names their header fields, and
// writes a session's frames to a new capture file.
//
// It reads what the capture holds and says nothing about it: sessions,
// verdicts and findings come from the report. It never writes over a file
// unless asked to.
package frames
