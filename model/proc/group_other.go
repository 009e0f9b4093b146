//go:build !unix && !windows

package proc

// On platforms with neither process groups nor job objects (Plan 9,
// js/wasm), Kill ends the command's own process only.
type groupSys struct{}

func (g *Group) prepare() {}

func (g *Group) attach() {}

func (g *Group) killGroup() bool { return false }

func (g *Group) release() {}
