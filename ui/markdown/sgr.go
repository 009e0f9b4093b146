package markdown

import "strings"

// look is what SGR sequences set: the attributes and colours that change how
// a character looks. Colours are kept as their SGR parameters ("38;5;252",
// "31", "48;2;0;0;0").
type look struct {
	fg, bg, ul                                                     string
	underline                                                      string // "4", "4:3", "21"...
	bold, faint, italic, blink, reverse, conceal, strike, overline bool
}

// visibleSpace reports whether a space shows under l.
func (l look) visibleSpace() bool {
	return l.bg != "" || l.reverse || l.underline != "" || l.strike || l.overline
}

// sgr returns one SGR sequence that sets l from the default style, with its
// parameters in a fixed order, or "" for the default style.
func (l look) sgr() string {
	var ps []string
	for _, a := range []struct {
		on bool
		p  string
	}{{l.bold, "1"}, {l.faint, "2"}, {l.italic, "3"}, {l.underline != "", l.underline}, {l.blink, "5"},
		{l.reverse, "7"}, {l.conceal, "8"}, {l.strike, "9"}, {l.overline, "53"},
		{l.fg != "", l.fg}, {l.bg != "", l.bg}, {l.ul != "", l.ul}} {
		if a.on {
			ps = append(ps, a.p)
		}
	}
	if len(ps) == 0 {
		return ""
	}
	return "\x1b[" + strings.Join(ps, ";") + "m"
}

// apply updates l with the parameters of one SGR sequence ("38;5;252;1").
func (l *look) apply(params string) {
	if params == "" {
		*l = look{}
		return
	}
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		main, sub, hasSub := strings.Cut(p, ":")
		switch main {
		case "0", "":
			*l = look{}
		case "1":
			l.bold = true
		case "2":
			l.faint = true
		case "22":
			l.bold, l.faint = false, false
		case "3":
			l.italic = true
		case "23":
			l.italic = false
		case "4":
			l.underline = p
			if hasSub && sub == "0" {
				l.underline = ""
			}
		case "21":
			l.underline = "21"
		case "24":
			l.underline = ""
		case "5", "6":
			l.blink = true
		case "25":
			l.blink = false
		case "7":
			l.reverse = true
		case "27":
			l.reverse = false
		case "8":
			l.conceal = true
		case "28":
			l.conceal = false
		case "9":
			l.strike = true
		case "29":
			l.strike = false
		case "53":
			l.overline = true
		case "55":
			l.overline = false
		case "39":
			l.fg = ""
		case "49":
			l.bg = ""
		case "59":
			l.ul = ""
		case "38", "48", "58":
			c := p
			if !hasSub && i+1 < len(ps) {
				// "38;5;n" or "38;2;r;g;b": the colour's arguments follow.
				n := 0
				switch ps[i+1] {
				case "5":
					n = 2
				case "2":
					n = 4
				}
				if i+n < len(ps) && n > 0 {
					c = strings.Join(ps[i:i+n+1], ";")
					i += n
				}
			}
			switch main {
			case "38":
				l.fg = c
			case "48":
				l.bg = c
			default:
				l.ul = c
			}
		default:
			switch {
			case len(main) == 2 && (main[0] == '3' || main[0] == '9') && main[1] >= '0' && main[1] <= '7':
				l.fg = main
			case len(main) == 2 && main[0] == '4' && main[1] >= '0' && main[1] <= '7',
				len(main) == 3 && main[:2] == "10" && main[2] >= '0' && main[2] <= '7':
				l.bg = main
			}
		}
	}
}
