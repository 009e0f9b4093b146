package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/parley-tui/parley/stream"
)

// Demo returns the tools the offline demo backend offers, so the whole
// loop (call, approval, run, result, answer) works with no key. now is the
// clock the clock tool reads.
func Demo(now func() time.Time) []Tool {
	return []Tool{calculator(), clock(now)}
}

func calculator() Tool {
	return Tool{
		Spec: stream.ToolSpec{
			Name:        "calculator",
			Description: "Evaluate an arithmetic expression with + - * / ^ and parentheses.",
			Parameters: json.RawMessage(`{"type":"object","properties":{"expression":{"type":"string",` +
				`"description":"for example (2+3)*4^2"}},"required":["expression"]}`),
		},
		Run: func(_ context.Context, args string) Result {
			var a struct {
				Expression string `json:"expression"`
			}
			if err := json.Unmarshal([]byte(args), &a); err != nil || a.Expression == "" {
				return Result{Output: `Expected {"expression": "..."}.`, Failed: true}
			}
			v, err := evaluate(a.Expression)
			if err != nil {
				return Result{Output: err.Error(), Failed: true}
			}
			return Result{Output: strconv.FormatFloat(v, 'g', 12, 64)}
		},
	}
}

func clock(now func() time.Time) Tool {
	return Tool{
		Spec: stream.ToolSpec{
			Name:        "clock",
			Description: "The current date and time in an IANA time zone (default UTC).",
			Parameters: json.RawMessage(`{"type":"object","properties":{"timezone":{"type":"string",` +
				`"description":"for example Europe/Paris"}}}`),
		},
		Run: func(_ context.Context, args string) Result {
			var a struct {
				Timezone string `json:"timezone"`
			}
			_ = json.Unmarshal([]byte(args), &a)
			loc := time.UTC
			if a.Timezone != "" {
				l, err := time.LoadLocation(a.Timezone)
				if err != nil {
					return Result{Output: "Unknown time zone " + strconv.Quote(a.Timezone) + ".", Failed: true}
				}
				loc = l
			}
			return Result{Output: now().In(loc).Format("Monday 2 January 2006, 15:04 MST")}
		},
	}
}

// evaluate computes an arithmetic expression by recursive descent:
// expr = term {(+|-) term}; term = power {(*|/) power};
// power = unary [^ power]; unary = [-|+] unary | number | (expr).
func evaluate(s string) (float64, error) {
	p := &exprParser{s: strings.ReplaceAll(s, " ", "")}
	v, err := p.expr()
	if err == nil && p.i < len(p.s) {
		err = fmt.Errorf("unexpected %q at position %d", p.s[p.i], p.i+1)
	}
	if err == nil && (math.IsInf(v, 0) || math.IsNaN(v)) {
		err = fmt.Errorf("the result is not a finite number")
	}
	return v, err
}

type exprParser struct {
	s     string
	i     int
	depth int
}

func (p *exprParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *exprParser) expr() (float64, error) {
	v, err := p.term()
	for err == nil && (p.peek() == '+' || p.peek() == '-') {
		op := p.s[p.i]
		p.i++
		var r float64
		if r, err = p.term(); op == '+' {
			v += r
		} else {
			v -= r
		}
	}
	return v, err
}

func (p *exprParser) term() (float64, error) {
	v, err := p.power()
	for err == nil && (p.peek() == '*' || p.peek() == '/') {
		op := p.s[p.i]
		p.i++
		var r float64
		if r, err = p.power(); err != nil {
			break
		}
		if op == '*' {
			v *= r
		} else if r == 0 {
			return 0, fmt.Errorf("division by zero")
		} else {
			v /= r
		}
	}
	return v, err
}

func (p *exprParser) power() (float64, error) {
	v, err := p.unary()
	if err == nil && p.peek() == '^' {
		p.i++
		var r float64
		if r, err = p.power(); err == nil {
			v = math.Pow(v, r)
		}
	}
	return v, err
}

func (p *exprParser) unary() (float64, error) {
	if p.depth++; p.depth > 200 {
		return 0, fmt.Errorf("the expression is nested too deeply")
	}
	defer func() { p.depth-- }()
	switch c := p.peek(); {
	case c == '-' || c == '+':
		p.i++
		v, err := p.unary()
		if c == '-' {
			v = -v
		}
		return v, err
	case c == '(':
		p.i++
		v, err := p.expr()
		if err != nil {
			return 0, err
		}
		if p.peek() != ')' {
			return 0, fmt.Errorf("missing ) at position %d", p.i+1)
		}
		p.i++
		return v, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
			p.i++
		}
		return strconv.ParseFloat(p.s[start:p.i], 64)
	case c == 0:
		return 0, fmt.Errorf("the expression ends too soon")
	default:
		return 0, fmt.Errorf("unexpected %q at position %d", c, p.i+1)
	}
}
