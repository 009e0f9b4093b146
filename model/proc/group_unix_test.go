//go:build unix

package proc

import (
	"bufio"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Kill ends the command and the child it left in the background.
func TestGroupKillEndsChildren(t *testing.T) {
	cmd := exec.Command("sh", "-c", "sleep 30 & echo $!; wait")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	g := NewGroup(cmd)
	g.Kill() // before Start: nothing to do
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	g.Started()
	defer g.Release()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatal(err)
	}
	g.Kill()
	if err := cmd.Wait(); err == nil {
		t.Error("the killed command exited 0")
	}
	deadline := time.Now().Add(5 * time.Second)
	for err := syscall.Kill(child, 0); !errors.Is(err, syscall.ESRCH); err = syscall.Kill(child, 0) {
		if time.Now().After(deadline) {
			t.Fatalf("the child %d outlived Kill", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
	g.Kill() // after the end: harmless
}
