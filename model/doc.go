// Package model is Parley's domain: a conversation and its messages, token
// usage and what it costs, and the price and context-window table. It knows
// the wire's types (package stream) but nothing of the terminal.
package model
