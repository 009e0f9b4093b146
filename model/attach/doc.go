// Package attach turns files into attachments a model can be sent, and
// says clearly, before anything is sent, why a file cannot be:
//
//	a, err := attach.Load("notes/todo.md", attach.Limits{}) // "-" is standard input
//	if err != nil {
//		return err // "cannot attach notes/todo.md: it looks like Latin-1 ..."
//	}
//	target := attach.Target{API: "chat", BaseURL: baseURL, Model: model, Vision: attach.VisionOf(preset.Vision)}
//	if err := target.Check(a); err != nil {
//		return err // "cannot send report.pdf: this Chat Completions server ... cannot take a PDF; ..."
//	}
//	switch a.Kind {
//	case attach.Text:
//		part = a.Fenced() // "File: notes/todo.md\n```markdown\n...```\n", with the prompt's text
//	case attach.Image, attach.PDF:
//		part = a.DataURL() // input_image / image_url, or input_file's file_data with a.Name
//	}
//
// What is accepted, judged by content and not by name: UTF-8 text (a
// UTF-8 byte-order mark is dropped), PNG, JPEG, WebP and GIF images (with
// their size in pixels) and PDFs. Everything else is refused with an
// *Error whose message is one sentence for the user: a missing file, a
// directory, a device, a binary file (naming HEIC, TIFF and the like so
// the user knows to convert), a file over its kind's limit (Limits; the
// defaults follow OpenAI's documented ones), an unreadable file, a link
// that loops or points nowhere, a damaged image, and text in another
// encoding than UTF-8 (UTF-16 and UTF-32 with or without a byte-order
// mark, Latin-1, Windows-1252, other legacy encodings), which is never
// converted by guess and sent as mojibake.
//
// Attachments are found three ways besides a path on the command line:
// FindRefs finds "@path" references in a prompt, PastedPaths recognises
// paths pasted by a terminal when files are dropped on it, and package
// finder lists the files under a directory for the chat's "@" picker.
//
// The package reads files and nothing else: no terminal, no network, no
// store. Data is kept whole in memory, bounded by the limits.
package attach
