package markdown

import (
	"bytes"
	"net/url"
	"strings"

	gast "github.com/yuin/goldmark/ast"
)

// glamour turns every link into an OSC 8 hyperlink, whatever its scheme: a
// reply could make "click here" open javascript:, file:///etc/passwd or a
// data: URL. Only web and mail links stay links; any other link is shown as
// its text followed by its destination, as plain text the terminal cannot
// open.

// linkable reports whether dest may become a hyperlink: an absolute http
// or https URL with a host, or a mailto URL with an address.
func linkable(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// neutraliseLink replaces a link, autolink or image node whose destination
// is not linkable (or any, with force) with plain text; src is extended
// with that text.
func neutraliseLink(n gast.Node, src []byte, force bool) []byte {
	parent := n.Parent()
	if parent == nil {
		return src
	}
	var dest string
	switch l := n.(type) {
	case *gast.Link:
		dest = string(l.Destination)
	case *gast.Image:
		dest = string(l.Destination)
	case *gast.AutoLink:
		dest = string(l.URL(src))
		if l.AutoLinkType == gast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		if linkable(dest) && !force {
			return src
		}
		var t *gast.Text
		src, t = appendText(src, string(l.Label(src)))
		parent.ReplaceChild(parent, n, t)
		return src
	}
	if linkable(dest) && !force {
		return src
	}
	// The link's text stays where it was, unlinked and unstyled as a link.
	for c := n.FirstChild(); c != nil; c = n.FirstChild() {
		parent.InsertBefore(parent, n, c)
	}
	if dest = strings.TrimSpace(dest); dest != "" {
		var t *gast.Text
		src, t = appendText(src, " "+dest)
		parent.InsertBefore(parent, n, t)
	}
	parent.RemoveChild(parent, n)
	return src
}

// atEnd reports whether nothing but text without a space follows n to the
// end of the document: a URL there, on a line still being written, may be
// cut (a "." after it may be followed by more of it).
func atEnd(n gast.Node, src []byte) bool {
	cur := n
	for ; cur != nil && cur.Type() == gast.TypeInline; cur = cur.Parent() {
		for sib := cur.NextSibling(); sib != nil; sib = sib.NextSibling() {
			t, ok := sib.(*gast.Text)
			if !ok || t.SoftLineBreak() || t.HardLineBreak() || bytes.ContainsAny(t.Segment.Value(src), " \t\n") {
				return false
			}
		}
	}
	for ; cur != nil && cur.Kind() != gast.KindDocument; cur = cur.Parent() {
		if cur.NextSibling() != nil {
			return false
		}
	}
	return true
}
