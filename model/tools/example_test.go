package tools_test

import (
	"context"
	"fmt"
	"time"

	"github.com/parley-tui/parley/model/tools"
)

// The UI asks the policy before it asks the user: the config approved the
// calculator, the user allowed the clock for this session only.
func ExamplePolicy() {
	reg := tools.NewRegistry(tools.Demo(time.Now)...)
	p := tools.NewPolicy(false)
	p.ApproveTool(tools.Key{Tool: "calculator"})
	fmt.Println(p.Approved(reg, "calculator"), p.Approved(reg, "clock"))
	p.AllowForSession(reg.Key("clock"))
	fmt.Println(p.Approved(reg, "clock"))
	p.ForgetSession() // a new chat session
	fmt.Println(p.Approved(reg, "clock"))
	// Output:
	// true false
	// true
	// false
}

func ExampleRegistry_Call() {
	reg := tools.NewRegistry(tools.Demo(time.Now)...)
	r := reg.Call(context.Background(), "calculator", `{"expression": "(2+3)*4^2"}`)
	fmt.Println(r.Output, r.Failed)
	r = reg.Call(context.Background(), "calculator", `{"expression": "1/0"}`)
	fmt.Println(r.Output, r.Failed)
	// Output:
	// 80 false
	// Error: division by zero true
}
