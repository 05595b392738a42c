// Package flow holds the small vocabulary every stage of correlation shares:
// the direction of bytes within a connection and a reference to where
// something was seen (input, frame, time).
package flow
