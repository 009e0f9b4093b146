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

// A Kill that comes while the command starts (a cancel) is not lost: the
// command is killed as soon as it has started.
func TestGroupKillBeforeStarted(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	g := NewGroup(cmd)
	g.Kill()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	g.Started()
	done := make(chan error)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the killed command exited 0")
		}
	case <-time.After(5 * time.Second):
		g.Release()
		_ = cmd.Process.Kill()
		t.Fatal("the command outlived a Kill made before it started")
	}
}
